* metalplan 0.1.0: objective cost in internal units (million CNY, Mt)
NAME metalplan
ROWS
 N objective
 E feed_balance(copper,primary,2025)
 L feed_available(copper,imported_concentrate,2025)
 L capacity(copper,primary,2025)
 E feed_balance(copper,recycled,2025)
 L feed_available(copper,domestic_scrap,2025)
 L capacity(copper,recycled,2025)
 G metal_output_min(copper,2025)
 E feed_balance(copper,primary,2026)
 L feed_available(copper,imported_concentrate,2026)
 L capacity(copper,primary,2026)
 E feed_balance(copper,recycled,2026)
 L feed_available(copper,domestic_scrap,2026)
 L capacity(copper,recycled,2026)
 G metal_output_min(copper,2026)
 E feed_balance(lead,primary,2025)
 L feed_available(lead,domestic_ore,2025)
 L capacity(lead,primary,2025)
 E feed_balance(lead,recycled,2025)
 L feed_available(lead,domestic_scrap,2025)
 L capacity(lead,recycled,2025)
 G metal_output_min(lead,2025)
 E feed_balance(lead,primary,2026)
 L feed_available(lead,domestic_ore,2026)
 L capacity(lead,primary,2026)
 E feed_balance(lead,recycled,2026)
 L feed_available(lead,domestic_scrap,2026)
 L capacity(lead,recycled,2026)
 G metal_output_min(lead,2026)
 E feed_balance(zinc,primary,2025)
 L feed_available(zinc,domestic_ore,2025)
 L capacity(zinc,primary,2025)
 E feed_balance(zinc,recycled,2025)
 L feed_available(zinc,domestic_scrap,2025)
 L capacity(zinc,recycled,2025)
 G metal_output_min(zinc,2025)
 E feed_balance(zinc,primary,2026)
 L feed_available(zinc,domestic_ore,2026)
 L capacity(zinc,primary,2026)
 E feed_balance(zinc,recycled,2026)
 L feed_available(zinc,domestic_scrap,2026)
 L capacity(zinc,recycled,2026)
 G metal_output_min(zinc,2026)
 G user(recycled_copper_share,2026)
 L user(lead_zinc_primary_cap,2025)
 L user(lead_zinc_primary_cap,2026)
COLUMNS
    output(copper,primary,2025) objective 3000
    output(copper,primary,2025) feed_balance(copper,primary,2025) 1
    output(copper,primary,2025) capacity(copper,primary,2025) 1
    output(copper,primary,2025) metal_output_min(copper,2025) 1
    feed(copper,imported_concentrate,2025) objective 65000
    feed(copper,imported_concentrate,2025) feed_balance(copper,primary,2025) -0.97
    feed(copper,imported_concentrate,2025) feed_available(copper,imported_concentrate,2025) 1
    output(copper,recycled,2025) objective 2000
    output(copper,recycled,2025) feed_balance(copper,recycled,2025) 1
    output(copper,recycled,2025) capacity(copper,recycled,2025) 1
    output(copper,recycled,2025) metal_output_min(copper,2025) 1
    feed(copper,domestic_scrap,2025) objective 70000
    feed(copper,domestic_scrap,2025) feed_balance(copper,recycled,2025) -0.98
    feed(copper,domestic_scrap,2025) feed_available(copper,domestic_scrap,2025) 1
    output(copper,primary,2026) objective 3000
    output(copper,primary,2026) feed_balance(copper,primary,2026) 1
    output(copper,primary,2026) capacity(copper,primary,2026) 1
    output(copper,primary,2026) metal_output_min(copper,2026) 1
    output(copper,primary,2026) user(recycled_copper_share,2026) -0.35
    feed(copper,imported_concentrate,2026) objective 65000
    feed(copper,imported_concentrate,2026) feed_balance(copper,primary,2026) -0.97
    feed(copper,imported_concentrate,2026) feed_available(copper,imported_concentrate,2026) 1
    output(copper,recycled,2026) objective 2000
    output(copper,recycled,2026) feed_balance(copper,recycled,2026) 1
    output(copper,recycled,2026) capacity(copper,recycled,2026) 1
    output(copper,recycled,2026) metal_output_min(copper,2026) 1
    output(copper,recycled,2026) user(recycled_copper_share,2026) 0.65
    feed(copper,domestic_scrap,2026) objective 70000
    feed(copper,domestic_scrap,2026) feed_balance(copper,recycled,2026) -0.98
    feed(copper,domestic_scrap,2026) feed_available(copper,domestic_scrap,2026) 1
    output(lead,primary,2025) objective 1000
    output(lead,primary,2025) feed_balance(lead,primary,2025) 1
    output(lead,primary,2025) capacity(lead,primary,2025) 1
    output(lead,primary,2025) metal_output_min(lead,2025) 1
    output(lead,primary,2025) user(lead_zinc_primary_cap,2025) 1
    feed(lead,domestic_ore,2025) objective 15000
    feed(lead,domestic_ore,2025) feed_balance(lead,primary,2025) -1
    feed(lead,domestic_ore,2025) feed_available(lead,domestic_ore,2025) 1
    output(lead,recycled,2025) objective 1000
    output(lead,recycled,2025) feed_balance(lead,recycled,2025) 1
    output(lead,recycled,2025) capacity(lead,recycled,2025) 1
    output(lead,recycled,2025) metal_output_min(lead,2025) 1
    feed(lead,domestic_scrap,2025) objective 16000
    feed(lead,domestic_scrap,2025) feed_balance(lead,recycled,2025) -1
    feed(lead,domestic_scrap,2025) feed_available(lead,domestic_scrap,2025) 1
    output(lead,primary,2026) objective 1000
    output(lead,primary,2026) feed_balance(lead,primary,2026) 1
    output(lead,primary,2026) capacity(lead,primary,2026) 1
    output(lead,primary,2026) metal_output_min(lead,2026) 1
    output(lead,primary,2026) user(lead_zinc_primary_cap,2026) 1
    feed(lead,domestic_ore,2026) objective 15000
    feed(lead,domestic_ore,2026) feed_balance(lead,primary,2026) -1
    feed(lead,domestic_ore,2026) feed_available(lead,domestic_ore,2026) 1
    output(lead,recycled,2026) objective 1000
    output(lead,recycled,2026) feed_balance(lead,recycled,2026) 1
    output(lead,recycled,2026) capacity(lead,recycled,2026) 1
    output(lead,recycled,2026) metal_output_min(lead,2026) 1
    feed(lead,domestic_scrap,2026) objective 16000
    feed(lead,domestic_scrap,2026) feed_balance(lead,recycled,2026) -1
    feed(lead,domestic_scrap,2026) feed_available(lead,domestic_scrap,2026) 1
    output(zinc,primary,2025) objective 1000
    output(zinc,primary,2025) feed_balance(zinc,primary,2025) 1
    output(zinc,primary,2025) capacity(zinc,primary,2025) 1
    output(zinc,primary,2025) metal_output_min(zinc,2025) 1
    output(zinc,primary,2025) user(lead_zinc_primary_cap,2025) 1
    feed(zinc,domestic_ore,2025) objective 20000
    feed(zinc,domestic_ore,2025) feed_balance(zinc,primary,2025) -1
    feed(zinc,domestic_ore,2025) feed_available(zinc,domestic_ore,2025) 1
    output(zinc,recycled,2025) objective 1000
    output(zinc,recycled,2025) feed_balance(zinc,recycled,2025) 1
    output(zinc,recycled,2025) capacity(zinc,recycled,2025) 1
    output(zinc,recycled,2025) metal_output_min(zinc,2025) 1
    feed(zinc,domestic_scrap,2025) objective 22500
    feed(zinc,domestic_scrap,2025) feed_balance(zinc,recycled,2025) -1
    feed(zinc,domestic_scrap,2025) feed_available(zinc,domestic_scrap,2025) 1
    output(zinc,primary,2026) objective 1000
    output(zinc,primary,2026) feed_balance(zinc,primary,2026) 1
    output(zinc,primary,2026) capacity(zinc,primary,2026) 1
    output(zinc,primary,2026) metal_output_min(zinc,2026) 1
    output(zinc,primary,2026) user(lead_zinc_primary_cap,2026) 1
    feed(zinc,domestic_ore,2026) objective 20000
    feed(zinc,domestic_ore,2026) feed_balance(zinc,primary,2026) -1
    feed(zinc,domestic_ore,2026) feed_available(zinc,domestic_ore,2026) 1
    output(zinc,recycled,2026) objective 1000
    output(zinc,recycled,2026) feed_balance(zinc,recycled,2026) 1
    output(zinc,recycled,2026) capacity(zinc,recycled,2026) 1
    output(zinc,recycled,2026) metal_output_min(zinc,2026) 1
    feed(zinc,domestic_scrap,2026) objective 22500
    feed(zinc,domestic_scrap,2026) feed_balance(zinc,recycled,2026) -1
    feed(zinc,domestic_scrap,2026) feed_available(zinc,domestic_scrap,2026) 1
RHS
    RHS feed_available(copper,imported_concentrate,2025) 12
    RHS capacity(copper,primary,2025) 10
    RHS feed_available(copper,domestic_scrap,2025) 7
    RHS capacity(copper,recycled,2025) 6
    RHS metal_output_min(copper,2025) 12
    RHS feed_available(copper,imported_concentrate,2026) 12
    RHS capacity(copper,primary,2026) 10
    RHS feed_available(copper,domestic_scrap,2026) 7
    RHS capacity(copper,recycled,2026) 6
    RHS metal_output_min(copper,2026) 12.5
    RHS feed_available(lead,domestic_ore,2025) 10
    RHS capacity(lead,primary,2025) 6
    RHS feed_available(lead,domestic_scrap,2025) 5
    RHS capacity(lead,recycled,2025) 3
    RHS metal_output_min(lead,2025) 5
    RHS feed_available(lead,domestic_ore,2026) 10
    RHS capacity(lead,primary,2026) 6
    RHS feed_available(lead,domestic_scrap,2026) 5
    RHS capacity(lead,recycled,2026) 3
    RHS metal_output_min(lead,2026) 5
    RHS feed_available(zinc,domestic_ore,2025) 10
    RHS capacity(zinc,primary,2025) 8
    RHS feed_available(zinc,domestic_scrap,2025) 5
    RHS capacity(zinc,recycled,2025) 3
    RHS metal_output_min(zinc,2025) 7
    RHS feed_available(zinc,domestic_ore,2026) 10
    RHS capacity(zinc,primary,2026) 8
    RHS feed_available(zinc,domestic_scrap,2026) 5
    RHS capacity(zinc,recycled,2026) 3
    RHS metal_output_min(zinc,2026) 7
    RHS user(lead_zinc_primary_cap,2025) 11
    RHS user(lead_zinc_primary_cap,2026) 11
BOUNDS
ENDATA
