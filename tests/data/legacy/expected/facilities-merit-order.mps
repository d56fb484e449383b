* metalplan 0.1.0: objective cost in internal units (million CNY, Mt)
NAME metalplan
ROWS
 N objective
 E feed_balance(tin,primary,2025)
 L feed_available(tin,imported_concentrate,2025)
 L capacity(tin,primary,2025)
 E feed_balance(tin,recycled,2025)
 L feed_available(tin,domestic_scrap,2025)
 L capacity(tin,recycled,2025)
 G metal_output_min(tin,2025)
 E feed_balance(tin,primary,2026)
 L feed_available(tin,imported_concentrate,2026)
 L capacity(tin,primary,2026)
 E feed_balance(tin,recycled,2026)
 L feed_available(tin,domestic_scrap,2026)
 L capacity(tin,recycled,2026)
 G metal_output_min(tin,2026)
 E feed_balance(tin,primary,2027)
 L feed_available(tin,imported_concentrate,2027)
 L capacity(tin,primary,2027)
 E feed_balance(tin,recycled,2027)
 L feed_available(tin,domestic_scrap,2027)
 L capacity(tin,recycled,2027)
 G metal_output_min(tin,2027)
 L facility_capacity(SN~A,2025)
 L facility_capacity(SN~A,2026)
 L facility_capacity(SN~A,2027)
 L facility_capacity(SN~B,2026)
 L facility_capacity(SN~B,2027)
 L facility_capacity(SN~C,2025)
 L facility_capacity(SN~C,2026)
 L facility_capacity(SN~D,2025)
 L facility_capacity(SN~D,2026)
 L facility_capacity(SN~D,2027)
 E facility_total(tin,primary,2025)
 E facility_total(tin,primary,2026)
 E facility_total(tin,primary,2027)
 G recycled_output_min(2025)
 G recycled_output_min(2026)
 G recycled_output_min(2027)
COLUMNS
    output(tin,primary,2025) objective 400
    output(tin,primary,2025) feed_balance(tin,primary,2025) 1
    output(tin,primary,2025) capacity(tin,primary,2025) 1
    output(tin,primary,2025) metal_output_min(tin,2025) 1
    output(tin,primary,2025) facility_total(tin,primary,2025) 1
    feed(tin,imported_concentrate,2025) objective 7200
    feed(tin,imported_concentrate,2025) feed_balance(tin,primary,2025) -0.9
    feed(tin,imported_concentrate,2025) feed_available(tin,imported_concentrate,2025) 1
    output(tin,recycled,2025) objective 800
    output(tin,recycled,2025) feed_balance(tin,recycled,2025) 1
    output(tin,recycled,2025) capacity(tin,recycled,2025) 1
    output(tin,recycled,2025) metal_output_min(tin,2025) 1
    output(tin,recycled,2025) recycled_output_min(2025) 1
    feed(tin,domestic_scrap,2025) objective 14400
    feed(tin,domestic_scrap,2025) feed_balance(tin,recycled,2025) -0.9
    feed(tin,domestic_scrap,2025) feed_available(tin,domestic_scrap,2025) 1
    output(tin,primary,2026) objective 320
    output(tin,primary,2026) feed_balance(tin,primary,2026) 1
    output(tin,primary,2026) capacity(tin,primary,2026) 1
    output(tin,primary,2026) metal_output_min(tin,2026) 1
    output(tin,primary,2026) facility_total(tin,primary,2026) 1
    feed(tin,imported_concentrate,2026) objective 5760
    feed(tin,imported_concentrate,2026) feed_balance(tin,primary,2026) -0.9
    feed(tin,imported_concentrate,2026) feed_available(tin,imported_concentrate,2026) 1
    output(tin,recycled,2026) objective 640
    output(tin,recycled,2026) feed_balance(tin,recycled,2026) 1
    output(tin,recycled,2026) capacity(tin,recycled,2026) 1
    output(tin,recycled,2026) metal_output_min(tin,2026) 1
    output(tin,recycled,2026) recycled_output_min(2026) 1
    feed(tin,domestic_scrap,2026) objective 11520
    feed(tin,domestic_scrap,2026) feed_balance(tin,recycled,2026) -0.9
    feed(tin,domestic_scrap,2026) feed_available(tin,domestic_scrap,2026) 1
    output(tin,primary,2027) objective 256
    output(tin,primary,2027) feed_balance(tin,primary,2027) 1
    output(tin,primary,2027) capacity(tin,primary,2027) 1
    output(tin,primary,2027) metal_output_min(tin,2027) 1
    output(tin,primary,2027) facility_total(tin,primary,2027) 1
    feed(tin,imported_concentrate,2027) objective 4608
    feed(tin,imported_concentrate,2027) feed_balance(tin,primary,2027) -0.9
    feed(tin,imported_concentrate,2027) feed_available(tin,imported_concentrate,2027) 1
    output(tin,recycled,2027) objective 512
    output(tin,recycled,2027) feed_balance(tin,recycled,2027) 1
    output(tin,recycled,2027) capacity(tin,recycled,2027) 1
    output(tin,recycled,2027) metal_output_min(tin,2027) 1
    output(tin,recycled,2027) recycled_output_min(2027) 1
    feed(tin,domestic_scrap,2027) objective 9216
    feed(tin,domestic_scrap,2027) feed_balance(tin,recycled,2027) -0.9
    feed(tin,domestic_scrap,2027) feed_available(tin,domestic_scrap,2027) 1
    facility_output(SN~A,2025) objective 800
    facility_output(SN~A,2025) facility_capacity(SN~A,2025) 1
    facility_output(SN~A,2025) facility_total(tin,primary,2025) -1
    facility_output(SN~A,2026) objective 640
    facility_output(SN~A,2026) facility_capacity(SN~A,2026) 1
    facility_output(SN~A,2026) facility_total(tin,primary,2026) -1
    facility_output(SN~A,2027) objective 512
    facility_output(SN~A,2027) facility_capacity(SN~A,2027) 1
    facility_output(SN~A,2027) facility_total(tin,primary,2027) -1
    facility_output(SN~B,2026) objective 1280
    facility_output(SN~B,2026) facility_capacity(SN~B,2026) 1
    facility_output(SN~B,2026) facility_total(tin,primary,2026) -1
    facility_output(SN~B,2027) objective 1024
    facility_output(SN~B,2027) facility_capacity(SN~B,2027) 1
    facility_output(SN~B,2027) facility_total(tin,primary,2027) -1
    facility_output(SN~C,2025) objective 2400
    facility_output(SN~C,2025) facility_capacity(SN~C,2025) 1
    facility_output(SN~C,2025) facility_total(tin,primary,2025) -1
    facility_output(SN~C,2026) objective 1920
    facility_output(SN~C,2026) facility_capacity(SN~C,2026) 1
    facility_output(SN~C,2026) facility_total(tin,primary,2026) -1
    facility_output(SN~D,2025) objective 3200
    facility_output(SN~D,2025) facility_capacity(SN~D,2025) 1
    facility_output(SN~D,2025) facility_total(tin,primary,2025) -1
    facility_output(SN~D,2026) objective 2560
    facility_output(SN~D,2026) facility_capacity(SN~D,2026) 1
    facility_output(SN~D,2026) facility_total(tin,primary,2026) -1
    facility_output(SN~D,2027) objective 2048
    facility_output(SN~D,2027) facility_capacity(SN~D,2027) 1
    facility_output(SN~D,2027) facility_total(tin,primary,2027) -1
RHS
    RHS feed_available(tin,imported_concentrate,2025) 10
    RHS capacity(tin,primary,2025) 10
    RHS feed_available(tin,domestic_scrap,2025) 1
    RHS capacity(tin,recycled,2025) 0.3
    RHS metal_output_min(tin,2025) 1.7
    RHS feed_available(tin,imported_concentrate,2026) 10
    RHS capacity(tin,primary,2026) 10
    RHS feed_available(tin,domestic_scrap,2026) 1
    RHS capacity(tin,recycled,2026) 0.3
    RHS metal_output_min(tin,2026) 2.3
    RHS feed_available(tin,imported_concentrate,2027) 10
    RHS capacity(tin,primary,2027) 10
    RHS feed_available(tin,domestic_scrap,2027) 1
    RHS capacity(tin,recycled,2027) 0.3
    RHS metal_output_min(tin,2027) 2.1
    RHS facility_capacity(SN~A,2025) 1
    RHS facility_capacity(SN~A,2026) 1
    RHS facility_capacity(SN~A,2027) 1
    RHS facility_capacity(SN~B,2026) 0.8
    RHS facility_capacity(SN~B,2027) 0.8
    RHS facility_capacity(SN~C,2025) 1.5
    RHS facility_capacity(SN~C,2026) 1.5
    RHS facility_capacity(SN~D,2025) 0.5
    RHS facility_capacity(SN~D,2026) 0.5
    RHS facility_capacity(SN~D,2027) 0.5
    RHS recycled_output_min(2025) 0.1
    RHS recycled_output_min(2026) 0.1
    RHS recycled_output_min(2027) 0.1
BOUNDS
ENDATA
