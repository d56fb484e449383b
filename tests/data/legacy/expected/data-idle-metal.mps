* metalplan 0.1.0: objective cost in internal units (million CNY, Mt)
NAME metalplan
ROWS
 N objective
 E feed_balance(tin,primary,2025)
 L feed_available(tin,domestic_ore,2025)
 L capacity(tin,primary,2025)
 G metal_output_min(tin,2025)
 E feed_balance(zinc,primary,2025)
 L feed_available(zinc,imported_concentrate,2025)
 L capacity(zinc,primary,2025)
 L import_dependence_max(zinc,2025)
COLUMNS
    output(tin,primary,2025) objective 2000
    output(tin,primary,2025) feed_balance(tin,primary,2025) 1
    output(tin,primary,2025) capacity(tin,primary,2025) 1
    output(tin,primary,2025) metal_output_min(tin,2025) 1
    feed(tin,domestic_ore,2025) objective 8000
    feed(tin,domestic_ore,2025) feed_balance(tin,primary,2025) -0.8
    feed(tin,domestic_ore,2025) feed_available(tin,domestic_ore,2025) 1
    output(zinc,primary,2025) objective 5000
    output(zinc,primary,2025) feed_balance(zinc,primary,2025) 1
    output(zinc,primary,2025) capacity(zinc,primary,2025) 1
    feed(zinc,imported_concentrate,2025) objective 20000
    feed(zinc,imported_concentrate,2025) feed_balance(zinc,primary,2025) -0.9
    feed(zinc,imported_concentrate,2025) feed_available(zinc,imported_concentrate,2025) 1
    feed(zinc,imported_concentrate,2025) import_dependence_max(zinc,2025) 0.5
RHS
    RHS feed_available(tin,domestic_ore,2025) 2
    RHS capacity(tin,primary,2025) 1.2
    RHS metal_output_min(tin,2025) 1
    RHS feed_available(zinc,imported_concentrate,2025) 1
    RHS capacity(zinc,primary,2025) 1
BOUNDS
ENDATA
