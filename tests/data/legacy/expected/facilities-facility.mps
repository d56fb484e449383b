* metalplan 0.1.0: objective cost in internal units (million CNY, Mt)
NAME metalplan
ROWS
 N objective
 E feed_balance(copper,primary,2025)
 L feed_available(copper,domestic_ore,2025)
 L feed_available(copper,imported_concentrate,2025)
 L capacity(copper,primary,2025)
 E feed_balance(copper,recycled,2025)
 L feed_available(copper,domestic_scrap,2025)
 L capacity(copper,recycled,2025)
 G metal_output_min(copper,2025)
 E feed_balance(copper,primary,2026)
 L feed_available(copper,domestic_ore,2026)
 L feed_available(copper,imported_concentrate,2026)
 L capacity(copper,primary,2026)
 E feed_balance(copper,recycled,2026)
 L feed_available(copper,domestic_scrap,2026)
 L capacity(copper,recycled,2026)
 G metal_output_min(copper,2026)
 E feed_balance(copper,primary,2027)
 L feed_available(copper,domestic_ore,2027)
 L feed_available(copper,imported_concentrate,2027)
 L capacity(copper,primary,2027)
 E feed_balance(copper,recycled,2027)
 L feed_available(copper,domestic_scrap,2027)
 L capacity(copper,recycled,2027)
 G metal_output_min(copper,2027)
 E feed_balance(zinc,primary,2025)
 L feed_available(zinc,domestic_ore,2025)
 L feed_available(zinc,imported_concentrate,2025)
 L capacity(zinc,primary,2025)
 E feed_balance(zinc,recycled,2025)
 L feed_available(zinc,domestic_scrap,2025)
 L capacity(zinc,recycled,2025)
 G metal_output_min(zinc,2025)
 E feed_balance(zinc,primary,2026)
 L feed_available(zinc,domestic_ore,2026)
 L feed_available(zinc,imported_concentrate,2026)
 L capacity(zinc,primary,2026)
 E feed_balance(zinc,recycled,2026)
 L feed_available(zinc,domestic_scrap,2026)
 L capacity(zinc,recycled,2026)
 G metal_output_min(zinc,2026)
 E feed_balance(zinc,primary,2027)
 L feed_available(zinc,domestic_ore,2027)
 L feed_available(zinc,imported_concentrate,2027)
 L capacity(zinc,primary,2027)
 E feed_balance(zinc,recycled,2027)
 L feed_available(zinc,domestic_scrap,2027)
 L capacity(zinc,recycled,2027)
 G metal_output_min(zinc,2027)
 L facility_capacity(CU~P~1,2025)
 L facility_capacity(CU~P~1,2026)
 L facility_capacity(CU~P~1,2027)
 L facility_capacity(CU~P~2,2025)
 L facility_capacity(CU~P~2,2026)
 L facility_capacity(CU~P~2,2027)
 L facility_capacity(CU~P~3,2025)
 L facility_capacity(CU~P~3,2026)
 L facility_capacity(CU~P~3,2027)
 L facility_capacity(CU~P~4,2025)
 L facility_capacity(CU~P~4,2026)
 L facility_capacity(CU~P~4,2027)
 L facility_capacity(ZN~R~1,2025)
 L facility_capacity(ZN~R~1,2026)
 L facility_capacity(ZN~R~1,2027)
 L facility_capacity(ZN~R~2,2025)
 L facility_capacity(ZN~R~2,2026)
 L facility_capacity(ZN~R~2,2027)
 L facility_capacity(ZN~R~3,2025)
 L facility_capacity(ZN~R~3,2026)
 L facility_capacity(ZN~R~3,2027)
 E facility_total(copper,primary,2025)
 E facility_total(copper,primary,2026)
 E facility_total(copper,primary,2027)
 E facility_total(zinc,recycled,2025)
 E facility_total(zinc,recycled,2026)
 E facility_total(zinc,recycled,2027)
COLUMNS
    output(copper,primary,2025) objective 0
    output(copper,primary,2025) feed_balance(copper,primary,2025) 1
    output(copper,primary,2025) capacity(copper,primary,2025) 1
    output(copper,primary,2025) metal_output_min(copper,2025) 1
    output(copper,primary,2025) facility_total(copper,primary,2025) 1
    feed(copper,domestic_ore,2025) objective 57142.85714285714
    feed(copper,domestic_ore,2025) feed_balance(copper,primary,2025) -0.95
    feed(copper,domestic_ore,2025) feed_available(copper,domestic_ore,2025) 1
    feed(copper,imported_concentrate,2025) objective 60952.38095238095
    feed(copper,imported_concentrate,2025) feed_balance(copper,primary,2025) -0.97
    feed(copper,imported_concentrate,2025) feed_available(copper,imported_concentrate,2025) 1
    output(copper,recycled,2025) objective 1904.7619047619046
    output(copper,recycled,2025) feed_balance(copper,recycled,2025) 1
    output(copper,recycled,2025) capacity(copper,recycled,2025) 1
    output(copper,recycled,2025) metal_output_min(copper,2025) 1
    feed(copper,domestic_scrap,2025) objective 57142.85714285714
    feed(copper,domestic_scrap,2025) feed_balance(copper,recycled,2025) -0.98
    feed(copper,domestic_scrap,2025) feed_available(copper,domestic_scrap,2025) 1
    output(copper,primary,2026) objective 0
    output(copper,primary,2026) feed_balance(copper,primary,2026) 1
    output(copper,primary,2026) capacity(copper,primary,2026) 1
    output(copper,primary,2026) metal_output_min(copper,2026) 1
    output(copper,primary,2026) facility_total(copper,primary,2026) 1
    feed(copper,domestic_ore,2026) objective 54421.76870748299
    feed(copper,domestic_ore,2026) feed_balance(copper,primary,2026) -0.95
    feed(copper,domestic_ore,2026) feed_available(copper,domestic_ore,2026) 1
    feed(copper,imported_concentrate,2026) objective 58049.886621315185
    feed(copper,imported_concentrate,2026) feed_balance(copper,primary,2026) -0.97
    feed(copper,imported_concentrate,2026) feed_available(copper,imported_concentrate,2026) 1
    output(copper,recycled,2026) objective 1814.0589569160995
    output(copper,recycled,2026) feed_balance(copper,recycled,2026) 1
    output(copper,recycled,2026) capacity(copper,recycled,2026) 1
    output(copper,recycled,2026) metal_output_min(copper,2026) 1
    feed(copper,domestic_scrap,2026) objective 54421.76870748299
    feed(copper,domestic_scrap,2026) feed_balance(copper,recycled,2026) -0.98
    feed(copper,domestic_scrap,2026) feed_available(copper,domestic_scrap,2026) 1
    output(copper,primary,2027) objective 0
    output(copper,primary,2027) feed_balance(copper,primary,2027) 1
    output(copper,primary,2027) capacity(copper,primary,2027) 1
    output(copper,primary,2027) metal_output_min(copper,2027) 1
    output(copper,primary,2027) facility_total(copper,primary,2027) 1
    feed(copper,domestic_ore,2027) objective 51830.25591188856
    feed(copper,domestic_ore,2027) feed_balance(copper,primary,2027) -0.95
    feed(copper,domestic_ore,2027) feed_available(copper,domestic_ore,2027) 1
    feed(copper,imported_concentrate,2027) objective 55285.606306014466
    feed(copper,imported_concentrate,2027) feed_balance(copper,primary,2027) -0.97
    feed(copper,imported_concentrate,2027) feed_available(copper,imported_concentrate,2027) 1
    output(copper,recycled,2027) objective 1727.675197062952
    output(copper,recycled,2027) feed_balance(copper,recycled,2027) 1
    output(copper,recycled,2027) capacity(copper,recycled,2027) 1
    output(copper,recycled,2027) metal_output_min(copper,2027) 1
    feed(copper,domestic_scrap,2027) objective 51830.25591188856
    feed(copper,domestic_scrap,2027) feed_balance(copper,recycled,2027) -0.98
    feed(copper,domestic_scrap,2027) feed_available(copper,domestic_scrap,2027) 1
    output(zinc,primary,2025) objective 3809.523809523809
    output(zinc,primary,2025) feed_balance(zinc,primary,2025) 1
    output(zinc,primary,2025) capacity(zinc,primary,2025) 1
    output(zinc,primary,2025) metal_output_min(zinc,2025) 1
    feed(zinc,domestic_ore,2025) objective 17142.85714285714
    feed(zinc,domestic_ore,2025) feed_balance(zinc,primary,2025) -0.9
    feed(zinc,domestic_ore,2025) feed_available(zinc,domestic_ore,2025) 1
    feed(zinc,imported_concentrate,2025) objective 18857.142857142855
    feed(zinc,imported_concentrate,2025) feed_balance(zinc,primary,2025) -0.9
    feed(zinc,imported_concentrate,2025) feed_available(zinc,imported_concentrate,2025) 1
    output(zinc,recycled,2025) objective 0
    output(zinc,recycled,2025) feed_balance(zinc,recycled,2025) 1
    output(zinc,recycled,2025) capacity(zinc,recycled,2025) 1
    output(zinc,recycled,2025) metal_output_min(zinc,2025) 1
    output(zinc,recycled,2025) facility_total(zinc,recycled,2025) 1
    feed(zinc,domestic_scrap,2025) objective 15428.571428571428
    feed(zinc,domestic_scrap,2025) feed_balance(zinc,recycled,2025) -0.9
    feed(zinc,domestic_scrap,2025) feed_available(zinc,domestic_scrap,2025) 1
    output(zinc,primary,2026) objective 3628.117913832199
    output(zinc,primary,2026) feed_balance(zinc,primary,2026) 1
    output(zinc,primary,2026) capacity(zinc,primary,2026) 1
    output(zinc,primary,2026) metal_output_min(zinc,2026) 1
    feed(zinc,domestic_ore,2026) objective 16326.530612244896
    feed(zinc,domestic_ore,2026) feed_balance(zinc,primary,2026) -0.9
    feed(zinc,domestic_ore,2026) feed_available(zinc,domestic_ore,2026) 1
    feed(zinc,imported_concentrate,2026) objective 17959.183673469386
    feed(zinc,imported_concentrate,2026) feed_balance(zinc,primary,2026) -0.9
    feed(zinc,imported_concentrate,2026) feed_available(zinc,imported_concentrate,2026) 1
    output(zinc,recycled,2026) objective 0
    output(zinc,recycled,2026) feed_balance(zinc,recycled,2026) 1
    output(zinc,recycled,2026) capacity(zinc,recycled,2026) 1
    output(zinc,recycled,2026) metal_output_min(zinc,2026) 1
    output(zinc,recycled,2026) facility_total(zinc,recycled,2026) 1
    feed(zinc,domestic_scrap,2026) objective 14693.877551020407
    feed(zinc,domestic_scrap,2026) feed_balance(zinc,recycled,2026) -0.9
    feed(zinc,domestic_scrap,2026) feed_available(zinc,domestic_scrap,2026) 1
    output(zinc,primary,2027) objective 3455.350394125904
    output(zinc,primary,2027) feed_balance(zinc,primary,2027) 1
    output(zinc,primary,2027) capacity(zinc,primary,2027) 1
    output(zinc,primary,2027) metal_output_min(zinc,2027) 1
    feed(zinc,domestic_ore,2027) objective 15549.076773566569
    feed(zinc,domestic_ore,2027) feed_balance(zinc,primary,2027) -0.9
    feed(zinc,domestic_ore,2027) feed_available(zinc,domestic_ore,2027) 1
    feed(zinc,imported_concentrate,2027) objective 17103.984450923224
    feed(zinc,imported_concentrate,2027) feed_balance(zinc,primary,2027) -0.9
    feed(zinc,imported_concentrate,2027) feed_available(zinc,imported_concentrate,2027) 1
    output(zinc,recycled,2027) objective 0
    output(zinc,recycled,2027) feed_balance(zinc,recycled,2027) 1
    output(zinc,recycled,2027) capacity(zinc,recycled,2027) 1
    output(zinc,recycled,2027) metal_output_min(zinc,2027) 1
    output(zinc,recycled,2027) facility_total(zinc,recycled,2027) 1
    feed(zinc,domestic_scrap,2027) objective 13994.169096209911
    feed(zinc,domestic_scrap,2027) feed_balance(zinc,recycled,2027) -0.9
    feed(zinc,domestic_scrap,2027) feed_available(zinc,domestic_scrap,2027) 1
    facility_output(CU~P~1,2025) objective 2857.142857142857
    facility_output(CU~P~1,2025) facility_capacity(CU~P~1,2025) 1
    facility_output(CU~P~1,2025) facility_total(copper,primary,2025) -1
    facility_build(CU~P~1,2025) objective 3809.523809523809
    facility_build(CU~P~1,2025) facility_capacity(CU~P~1,2025) -1
    facility_build(CU~P~1,2025) facility_capacity(CU~P~1,2026) -1
    facility_build(CU~P~1,2025) facility_capacity(CU~P~1,2027) -1
    facility_output(CU~P~1,2026) objective 2721.0884353741494
    facility_output(CU~P~1,2026) facility_capacity(CU~P~1,2026) 1
    facility_output(CU~P~1,2026) facility_total(copper,primary,2026) -1
    facility_build(CU~P~1,2026) objective 3628.117913832199
    facility_build(CU~P~1,2026) facility_capacity(CU~P~1,2026) -1
    facility_build(CU~P~1,2026) facility_capacity(CU~P~1,2027) -1
    facility_output(CU~P~1,2027) objective 2591.512795594428
    facility_output(CU~P~1,2027) facility_capacity(CU~P~1,2027) 1
    facility_output(CU~P~1,2027) facility_total(copper,primary,2027) -1
    facility_build(CU~P~1,2027) objective 3455.350394125904
    facility_build(CU~P~1,2027) facility_capacity(CU~P~1,2027) -1
    facility_output(CU~P~2,2025) objective 2857.142857142857
    facility_output(CU~P~2,2025) facility_capacity(CU~P~2,2025) 1
    facility_output(CU~P~2,2025) facility_total(copper,primary,2025) -1
    facility_build(CU~P~2,2025) objective 3809.523809523809
    facility_build(CU~P~2,2025) facility_capacity(CU~P~2,2025) -1
    facility_build(CU~P~2,2025) facility_capacity(CU~P~2,2026) -1
    facility_build(CU~P~2,2025) facility_capacity(CU~P~2,2027) -1
    facility_output(CU~P~2,2026) objective 2721.0884353741494
    facility_output(CU~P~2,2026) facility_capacity(CU~P~2,2026) 1
    facility_output(CU~P~2,2026) facility_total(copper,primary,2026) -1
    facility_build(CU~P~2,2026) objective 3628.117913832199
    facility_build(CU~P~2,2026) facility_capacity(CU~P~2,2026) -1
    facility_build(CU~P~2,2026) facility_capacity(CU~P~2,2027) -1
    facility_output(CU~P~2,2027) objective 2591.512795594428
    facility_output(CU~P~2,2027) facility_capacity(CU~P~2,2027) 1
    facility_output(CU~P~2,2027) facility_total(copper,primary,2027) -1
    facility_build(CU~P~2,2027) objective 3455.350394125904
    facility_build(CU~P~2,2027) facility_capacity(CU~P~2,2027) -1
    facility_output(CU~P~3,2025) objective 2857.142857142857
    facility_output(CU~P~3,2025) facility_capacity(CU~P~3,2025) 1
    facility_output(CU~P~3,2025) facility_total(copper,primary,2025) -1
    facility_build(CU~P~3,2025) objective 3809.523809523809
    facility_build(CU~P~3,2025) facility_capacity(CU~P~3,2025) -1
    facility_build(CU~P~3,2025) facility_capacity(CU~P~3,2026) -1
    facility_build(CU~P~3,2025) facility_capacity(CU~P~3,2027) -1
    facility_output(CU~P~3,2026) objective 2721.0884353741494
    facility_output(CU~P~3,2026) facility_capacity(CU~P~3,2026) 1
    facility_output(CU~P~3,2026) facility_total(copper,primary,2026) -1
    facility_build(CU~P~3,2026) objective 3628.117913832199
    facility_build(CU~P~3,2026) facility_capacity(CU~P~3,2026) -1
    facility_build(CU~P~3,2026) facility_capacity(CU~P~3,2027) -1
    facility_output(CU~P~3,2027) objective 2591.512795594428
    facility_output(CU~P~3,2027) facility_capacity(CU~P~3,2027) 1
    facility_output(CU~P~3,2027) facility_total(copper,primary,2027) -1
    facility_build(CU~P~3,2027) objective 3455.350394125904
    facility_build(CU~P~3,2027) facility_capacity(CU~P~3,2027) -1
    facility_output(CU~P~4,2025) objective 2857.142857142857
    facility_output(CU~P~4,2025) facility_capacity(CU~P~4,2025) 1
    facility_output(CU~P~4,2025) facility_total(copper,primary,2025) -1
    facility_build(CU~P~4,2025) objective 3809.523809523809
    facility_build(CU~P~4,2025) facility_capacity(CU~P~4,2025) -1
    facility_build(CU~P~4,2025) facility_capacity(CU~P~4,2026) -1
    facility_build(CU~P~4,2025) facility_capacity(CU~P~4,2027) -1
    facility_output(CU~P~4,2026) objective 2721.0884353741494
    facility_output(CU~P~4,2026) facility_capacity(CU~P~4,2026) 1
    facility_output(CU~P~4,2026) facility_total(copper,primary,2026) -1
    facility_build(CU~P~4,2026) objective 3628.117913832199
    facility_build(CU~P~4,2026) facility_capacity(CU~P~4,2026) -1
    facility_build(CU~P~4,2026) facility_capacity(CU~P~4,2027) -1
    facility_output(CU~P~4,2027) objective 2591.512795594428
    facility_output(CU~P~4,2027) facility_capacity(CU~P~4,2027) 1
    facility_output(CU~P~4,2027) facility_total(copper,primary,2027) -1
    facility_build(CU~P~4,2027) objective 3455.350394125904
    facility_build(CU~P~4,2027) facility_capacity(CU~P~4,2027) -1
    facility_output(ZN~R~1,2025) objective 2857.142857142857
    facility_output(ZN~R~1,2025) facility_capacity(ZN~R~1,2025) 1
    facility_output(ZN~R~1,2025) facility_total(zinc,recycled,2025) -1
    facility_output(ZN~R~1,2026) objective 2721.0884353741494
    facility_output(ZN~R~1,2026) facility_capacity(ZN~R~1,2026) 1
    facility_output(ZN~R~1,2026) facility_total(zinc,recycled,2026) -1
    facility_output(ZN~R~1,2027) objective 2591.512795594428
    facility_output(ZN~R~1,2027) facility_capacity(ZN~R~1,2027) 1
    facility_output(ZN~R~1,2027) facility_total(zinc,recycled,2027) -1
    facility_output(ZN~R~2,2025) objective 2857.142857142857
    facility_output(ZN~R~2,2025) facility_capacity(ZN~R~2,2025) 1
    facility_output(ZN~R~2,2025) facility_total(zinc,recycled,2025) -1
    facility_output(ZN~R~2,2026) objective 2721.0884353741494
    facility_output(ZN~R~2,2026) facility_capacity(ZN~R~2,2026) 1
    facility_output(ZN~R~2,2026) facility_total(zinc,recycled,2026) -1
    facility_output(ZN~R~2,2027) objective 2591.512795594428
    facility_output(ZN~R~2,2027) facility_capacity(ZN~R~2,2027) 1
    facility_output(ZN~R~2,2027) facility_total(zinc,recycled,2027) -1
    facility_output(ZN~R~3,2025) objective 2857.142857142857
    facility_output(ZN~R~3,2025) facility_capacity(ZN~R~3,2025) 1
    facility_output(ZN~R~3,2025) facility_total(zinc,recycled,2025) -1
    facility_output(ZN~R~3,2026) objective 2721.0884353741494
    facility_output(ZN~R~3,2026) facility_capacity(ZN~R~3,2026) 1
    facility_output(ZN~R~3,2026) facility_total(zinc,recycled,2026) -1
    facility_output(ZN~R~3,2027) objective 2591.512795594428
    facility_output(ZN~R~3,2027) facility_capacity(ZN~R~3,2027) 1
    facility_output(ZN~R~3,2027) facility_total(zinc,recycled,2027) -1
RHS
    RHS feed_available(copper,domestic_ore,2025) 3
    RHS feed_available(copper,imported_concentrate,2025) 30
    RHS capacity(copper,primary,2025) 100
    RHS feed_available(copper,domestic_scrap,2025) 4
    RHS capacity(copper,recycled,2025) 4.5
    RHS metal_output_min(copper,2025) 14.2
    RHS feed_available(copper,domestic_ore,2026) 3
    RHS feed_available(copper,imported_concentrate,2026) 30
    RHS capacity(copper,primary,2026) 100
    RHS feed_available(copper,domestic_scrap,2026) 4
    RHS capacity(copper,recycled,2026) 4.5
    RHS metal_output_min(copper,2026) 15.6
    RHS feed_available(copper,domestic_ore,2027) 3
    RHS feed_available(copper,imported_concentrate,2027) 30
    RHS capacity(copper,primary,2027) 100
    RHS feed_available(copper,domestic_scrap,2027) 4
    RHS capacity(copper,recycled,2027) 4.5
    RHS metal_output_min(copper,2027) 16
    RHS feed_available(zinc,domestic_ore,2025) 3
    RHS feed_available(zinc,imported_concentrate,2025) 10
    RHS capacity(zinc,primary,2025) 6
    RHS feed_available(zinc,domestic_scrap,2025) 2
    RHS capacity(zinc,recycled,2025) 100
    RHS metal_output_min(zinc,2025) 5.5
    RHS feed_available(zinc,domestic_ore,2026) 3
    RHS feed_available(zinc,imported_concentrate,2026) 10
    RHS capacity(zinc,primary,2026) 6
    RHS feed_available(zinc,domestic_scrap,2026) 2
    RHS capacity(zinc,recycled,2026) 100
    RHS metal_output_min(zinc,2026) 5.5
    RHS feed_available(zinc,domestic_ore,2027) 3
    RHS feed_available(zinc,imported_concentrate,2027) 10
    RHS capacity(zinc,primary,2027) 6
    RHS feed_available(zinc,domestic_scrap,2027) 2
    RHS capacity(zinc,recycled,2027) 100
    RHS metal_output_min(zinc,2027) 5.5
    RHS facility_capacity(CU~P~1,2025) 4
    RHS facility_capacity(CU~P~1,2026) 4
    RHS facility_capacity(CU~P~1,2027) 4
    RHS facility_capacity(CU~P~2,2025) 3
    RHS facility_capacity(CU~P~2,2026) 3
    RHS facility_capacity(CU~P~2,2027) 3
    RHS facility_capacity(CU~P~3,2025) 2
    RHS facility_capacity(CU~P~3,2026) 2
    RHS facility_capacity(CU~P~3,2027) 2
    RHS facility_capacity(CU~P~4,2025) 1
    RHS facility_capacity(CU~P~4,2026) 1
    RHS facility_capacity(CU~P~4,2027) 1
    RHS facility_capacity(ZN~R~1,2025) 0.7
    RHS facility_capacity(ZN~R~1,2026) 0.7
    RHS facility_capacity(ZN~R~1,2027) 0.7
    RHS facility_capacity(ZN~R~2,2025) 0.5
    RHS facility_capacity(ZN~R~2,2026) 0.5
    RHS facility_capacity(ZN~R~2,2027) 0.5
    RHS facility_capacity(ZN~R~3,2025) 0.3
    RHS facility_capacity(ZN~R~3,2026) 0.3
    RHS facility_capacity(ZN~R~3,2027) 0.3
BOUNDS
 UP BND facility_build(CU~P~1,2025) 0.4
 UP BND facility_build(CU~P~1,2026) 0.4
 UP BND facility_build(CU~P~1,2027) 0.4
 UP BND facility_build(CU~P~2,2025) 0.3
 UP BND facility_build(CU~P~2,2026) 0.3
 UP BND facility_build(CU~P~2,2027) 0.3
 UP BND facility_build(CU~P~3,2025) 0.2
 UP BND facility_build(CU~P~3,2026) 0.2
 UP BND facility_build(CU~P~3,2027) 0.2
 UP BND facility_build(CU~P~4,2025) 0.1
 UP BND facility_build(CU~P~4,2026) 0.1
 UP BND facility_build(CU~P~4,2027) 0.1
ENDATA
