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
 L feed_available(copper,imported_scrap,2025)
 L capacity(copper,recycled,2025)
 L metal_output_max(copper,2025)
 E feed_balance(copper,primary,2026)
 L feed_available(copper,domestic_ore,2026)
 L feed_available(copper,imported_concentrate,2026)
 L capacity(copper,primary,2026)
 E feed_balance(copper,recycled,2026)
 L feed_available(copper,domestic_scrap,2026)
 L feed_available(copper,imported_scrap,2026)
 L capacity(copper,recycled,2026)
 L metal_output_max(copper,2026)
 G recycled_output_min(2025)
 G recycled_output_min(2026)
 G output_growth_min(2025)
 G output_growth_min(2026)
COLUMNS
    output(copper,primary,2025) objective 3000
    output(copper,primary,2025) feed_balance(copper,primary,2025) 1
    output(copper,primary,2025) capacity(copper,primary,2025) 1
    output(copper,primary,2025) metal_output_max(copper,2025) 1
    output(copper,primary,2025) output_growth_min(2025) 1
    output(copper,primary,2025) output_growth_min(2026) -1.02
    feed(copper,domestic_ore,2025) objective 60000
    feed(copper,domestic_ore,2025) feed_balance(copper,primary,2025) -0.95
    feed(copper,domestic_ore,2025) feed_available(copper,domestic_ore,2025) 1
    feed(copper,imported_concentrate,2025) objective 65000
    feed(copper,imported_concentrate,2025) feed_balance(copper,primary,2025) -0.97
    feed(copper,imported_concentrate,2025) feed_available(copper,imported_concentrate,2025) 1
    build(copper,primary,2025) objective 10000
    build(copper,primary,2025) capacity(copper,primary,2025) -1
    build(copper,primary,2025) capacity(copper,primary,2026) -1
    output(copper,recycled,2025) objective 2000
    output(copper,recycled,2025) feed_balance(copper,recycled,2025) 1
    output(copper,recycled,2025) capacity(copper,recycled,2025) 1
    output(copper,recycled,2025) metal_output_max(copper,2025) 1
    output(copper,recycled,2025) recycled_output_min(2025) 1
    output(copper,recycled,2025) output_growth_min(2025) 1
    output(copper,recycled,2025) output_growth_min(2026) -1.02
    feed(copper,domestic_scrap,2025) objective 62000
    feed(copper,domestic_scrap,2025) feed_balance(copper,recycled,2025) -0.98
    feed(copper,domestic_scrap,2025) feed_available(copper,domestic_scrap,2025) 1
    feed(copper,imported_scrap,2025) objective 64000
    feed(copper,imported_scrap,2025) feed_balance(copper,recycled,2025) -0.98
    feed(copper,imported_scrap,2025) feed_available(copper,imported_scrap,2025) 1
    output(copper,primary,2026) objective 3000
    output(copper,primary,2026) feed_balance(copper,primary,2026) 1
    output(copper,primary,2026) capacity(copper,primary,2026) 1
    output(copper,primary,2026) metal_output_max(copper,2026) 1
    output(copper,primary,2026) output_growth_min(2026) 1
    feed(copper,domestic_ore,2026) objective 60000
    feed(copper,domestic_ore,2026) feed_balance(copper,primary,2026) -0.95
    feed(copper,domestic_ore,2026) feed_available(copper,domestic_ore,2026) 1
    feed(copper,imported_concentrate,2026) objective 65000
    feed(copper,imported_concentrate,2026) feed_balance(copper,primary,2026) -0.97
    feed(copper,imported_concentrate,2026) feed_available(copper,imported_concentrate,2026) 1
    build(copper,primary,2026) objective 10000
    build(copper,primary,2026) capacity(copper,primary,2026) -1
    output(copper,recycled,2026) objective 2000
    output(copper,recycled,2026) feed_balance(copper,recycled,2026) 1
    output(copper,recycled,2026) capacity(copper,recycled,2026) 1
    output(copper,recycled,2026) metal_output_max(copper,2026) 1
    output(copper,recycled,2026) recycled_output_min(2026) 1
    output(copper,recycled,2026) output_growth_min(2026) 1
    feed(copper,domestic_scrap,2026) objective 62000
    feed(copper,domestic_scrap,2026) feed_balance(copper,recycled,2026) -0.98
    feed(copper,domestic_scrap,2026) feed_available(copper,domestic_scrap,2026) 1
    feed(copper,imported_scrap,2026) objective 64000
    feed(copper,imported_scrap,2026) feed_balance(copper,recycled,2026) -0.98
    feed(copper,imported_scrap,2026) feed_available(copper,imported_scrap,2026) 1
RHS
    RHS feed_available(copper,domestic_ore,2025) 2
    RHS feed_available(copper,imported_concentrate,2025) 10
    RHS capacity(copper,primary,2025) 9
    RHS feed_available(copper,domestic_scrap,2025) 2.5
    RHS feed_available(copper,imported_scrap,2025) 1
    RHS capacity(copper,recycled,2025) 3
    RHS metal_output_max(copper,2025) 20
    RHS feed_available(copper,domestic_ore,2026) 2
    RHS feed_available(copper,imported_concentrate,2026) 10
    RHS capacity(copper,primary,2026) 9
    RHS feed_available(copper,domestic_scrap,2026) 2.5
    RHS feed_available(copper,imported_scrap,2026) 1
    RHS capacity(copper,recycled,2026) 3
    RHS metal_output_max(copper,2026) 20
    RHS recycled_output_min(2025) 3
    RHS recycled_output_min(2026) 3
    RHS output_growth_min(2025) 10.2
BOUNDS
 UP BND build(copper,primary,2025) 1
 UP BND build(copper,primary,2026) 1
ENDATA
