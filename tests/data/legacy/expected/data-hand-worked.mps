* metalplan 0.1.0: objective cost in internal units (million CNY, Mt)
NAME metalplan
ROWS
 N objective
 E feed_balance(tin,primary,2025)
 L feed_available(tin,domestic_ore,2025)
 L feed_available(tin,imported_concentrate,2025)
 L capacity(tin,primary,2025)
 E feed_balance(tin,recycled,2025)
 L feed_available(tin,domestic_scrap,2025)
 L feed_available(tin,imported_scrap,2025)
 L capacity(tin,recycled,2025)
 G recycled_output_min(2025)
 G output_growth_min(2025)
COLUMNS
    output(tin,primary,2025) objective 2000
    output(tin,primary,2025) feed_balance(tin,primary,2025) 1
    output(tin,primary,2025) capacity(tin,primary,2025) 1
    output(tin,primary,2025) output_growth_min(2025) 1
    feed(tin,domestic_ore,2025) objective 8000
    feed(tin,domestic_ore,2025) feed_balance(tin,primary,2025) -0.8
    feed(tin,domestic_ore,2025) feed_available(tin,domestic_ore,2025) 1
    feed(tin,imported_concentrate,2025) objective 9900
    feed(tin,imported_concentrate,2025) feed_balance(tin,primary,2025) -0.9
    feed(tin,imported_concentrate,2025) feed_available(tin,imported_concentrate,2025) 1
    build(tin,primary,2025) objective 5000
    build(tin,primary,2025) capacity(tin,primary,2025) -1
    output(tin,recycled,2025) objective 1000
    output(tin,recycled,2025) feed_balance(tin,recycled,2025) 1
    output(tin,recycled,2025) capacity(tin,recycled,2025) 1
    output(tin,recycled,2025) recycled_output_min(2025) 1
    output(tin,recycled,2025) output_growth_min(2025) 1
    feed(tin,domestic_scrap,2025) objective 9000
    feed(tin,domestic_scrap,2025) feed_balance(tin,recycled,2025) -0.9
    feed(tin,domestic_scrap,2025) feed_available(tin,domestic_scrap,2025) 1
    feed(tin,imported_scrap,2025) objective 11700
    feed(tin,imported_scrap,2025) feed_balance(tin,recycled,2025) -0.9
    feed(tin,imported_scrap,2025) feed_available(tin,imported_scrap,2025) 1
RHS
    RHS feed_available(tin,domestic_ore,2025) 0.5
    RHS feed_available(tin,imported_concentrate,2025) 5
    RHS capacity(tin,primary,2025) 1
    RHS feed_available(tin,domestic_scrap,2025) 0.5
    RHS feed_available(tin,imported_scrap,2025) 1
    RHS capacity(tin,recycled,2025) 0.6
    RHS recycled_output_min(2025) 0.5
    RHS output_growth_min(2025) 1.7999999999999998
BOUNDS
 UP BND build(tin,primary,2025) 1
ENDATA
