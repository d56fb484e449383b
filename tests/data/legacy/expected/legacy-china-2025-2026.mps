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
 L shared_capacity(copper,2025)
 G metal_output_min(copper,2025)
 L metal_output_max(copper,2025)
 E feed_balance(copper,primary,2026)
 L feed_available(copper,domestic_ore,2026)
 L feed_available(copper,imported_concentrate,2026)
 L capacity(copper,primary,2026)
 E feed_balance(copper,recycled,2026)
 L feed_available(copper,domestic_scrap,2026)
 L feed_available(copper,imported_scrap,2026)
 L capacity(copper,recycled,2026)
 L shared_capacity(copper,2026)
 G metal_output_min(copper,2026)
 L metal_output_max(copper,2026)
 E feed_balance(aluminium,primary,2025)
 L feed_available(aluminium,domestic_ore,2025)
 L feed_available(aluminium,imported_concentrate,2025)
 L capacity(aluminium,primary,2025)
 E feed_balance(aluminium,recycled,2025)
 L feed_available(aluminium,domestic_scrap,2025)
 L feed_available(aluminium,imported_scrap,2025)
 L capacity(aluminium,recycled,2025)
 G metal_output_min(aluminium,2025)
 L metal_output_max(aluminium,2025)
 E feed_balance(aluminium,primary,2026)
 L feed_available(aluminium,domestic_ore,2026)
 L feed_available(aluminium,imported_concentrate,2026)
 L capacity(aluminium,primary,2026)
 E feed_balance(aluminium,recycled,2026)
 L feed_available(aluminium,domestic_scrap,2026)
 L feed_available(aluminium,imported_scrap,2026)
 L capacity(aluminium,recycled,2026)
 G metal_output_min(aluminium,2026)
 L metal_output_max(aluminium,2026)
 E feed_balance(lead,primary,2025)
 L feed_available(lead,domestic_ore,2025)
 L feed_available(lead,imported_concentrate,2025)
 L capacity(lead,primary,2025)
 E feed_balance(lead,recycled,2025)
 L feed_available(lead,domestic_scrap,2025)
 L feed_available(lead,imported_scrap,2025)
 L capacity(lead,recycled,2025)
 G metal_output_min(lead,2025)
 L metal_output_max(lead,2025)
 E feed_balance(lead,primary,2026)
 L feed_available(lead,domestic_ore,2026)
 L feed_available(lead,imported_concentrate,2026)
 L capacity(lead,primary,2026)
 E feed_balance(lead,recycled,2026)
 L feed_available(lead,domestic_scrap,2026)
 L feed_available(lead,imported_scrap,2026)
 L capacity(lead,recycled,2026)
 G metal_output_min(lead,2026)
 L metal_output_max(lead,2026)
 E feed_balance(zinc,primary,2025)
 L feed_available(zinc,domestic_ore,2025)
 L feed_available(zinc,imported_concentrate,2025)
 L capacity(zinc,primary,2025)
 E feed_balance(zinc,recycled,2025)
 L feed_available(zinc,domestic_scrap,2025)
 L feed_available(zinc,imported_scrap,2025)
 L capacity(zinc,recycled,2025)
 G metal_output_min(zinc,2025)
 L metal_output_max(zinc,2025)
 E feed_balance(zinc,primary,2026)
 L feed_available(zinc,domestic_ore,2026)
 L feed_available(zinc,imported_concentrate,2026)
 L capacity(zinc,primary,2026)
 E feed_balance(zinc,recycled,2026)
 L feed_available(zinc,domestic_scrap,2026)
 L feed_available(zinc,imported_scrap,2026)
 L capacity(zinc,recycled,2026)
 G metal_output_min(zinc,2026)
 L metal_output_max(zinc,2026)
 E feed_balance(magnesium,primary,2025)
 L feed_available(magnesium,domestic_ore,2025)
 L capacity(magnesium,primary,2025)
 G metal_output_min(magnesium,2025)
 L metal_output_max(magnesium,2025)
 E feed_balance(magnesium,primary,2026)
 L feed_available(magnesium,domestic_ore,2026)
 L capacity(magnesium,primary,2026)
 G metal_output_min(magnesium,2026)
 L metal_output_max(magnesium,2026)
 E feed_balance(other_ten_metals,primary,2025)
 L feed_available(other_ten_metals,domestic_ore,2025)
 L feed_available(other_ten_metals,imported_concentrate,2025)
 L capacity(other_ten_metals,primary,2025)
 G metal_output_min(other_ten_metals,2025)
 L metal_output_max(other_ten_metals,2025)
 E feed_balance(other_ten_metals,primary,2026)
 L feed_available(other_ten_metals,domestic_ore,2026)
 L feed_available(other_ten_metals,imported_concentrate,2026)
 L capacity(other_ten_metals,primary,2026)
 G metal_output_min(other_ten_metals,2026)
 L metal_output_max(other_ten_metals,2026)
 E feed_balance(lithium,primary,2025)
 L feed_available(lithium,domestic_ore,2025)
 L feed_available(lithium,imported_concentrate,2025)
 L capacity(lithium,primary,2025)
 E feed_balance(lithium,recycled,2025)
 L feed_available(lithium,domestic_scrap,2025)
 L feed_available(lithium,imported_scrap,2025)
 L capacity(lithium,recycled,2025)
 G metal_output_min(lithium,2025)
 L metal_output_max(lithium,2025)
 E feed_balance(lithium,primary,2026)
 L feed_available(lithium,domestic_ore,2026)
 L feed_available(lithium,imported_concentrate,2026)
 L capacity(lithium,primary,2026)
 E feed_balance(lithium,recycled,2026)
 L feed_available(lithium,domestic_scrap,2026)
 L feed_available(lithium,imported_scrap,2026)
 L capacity(lithium,recycled,2026)
 G metal_output_min(lithium,2026)
 L metal_output_max(lithium,2026)
 G recycled_output_min(2025)
 G recycled_output_min(2026)
 G output_growth_min(2025)
 G output_growth_min(2026)
 G value_added_growth_min(2025)
 G value_added_growth_min(2026)
 L import_dependence_max(copper,2025)
 L import_dependence_max(copper,2026)
 L import_dependence_max(lithium,2025)
 L import_dependence_max(lithium,2026)
 L plugin.aluminium.primary_ceiling(2025)
 G plugin.aluminium.recycled_floor(2025)
 L plugin.aluminium.primary_ceiling(2026)
 G plugin.aluminium.recycled_floor(2026)
 L plugin.copper.domestic_scrap_from_stock(2025)
 L plugin.copper.imported_scrap_max(2025)
 L plugin.copper.concentrate_import_dependence(2025)
 L plugin.copper.domestic_scrap_from_stock(2026)
 L plugin.copper.imported_scrap_max(2026)
 L plugin.copper.concentrate_import_dependence(2026)
 L plugin.lithium.recycled_from_batteries(2025)
 G plugin.lithium.china_sourced_floor(2025)
 L plugin.lithium.recycled_from_batteries(2026)
 G plugin.lithium.china_sourced_floor(2026)
COLUMNS
    output(copper,primary,2025) objective 4000
    output(copper,primary,2025) feed_balance(copper,primary,2025) 1
    output(copper,primary,2025) capacity(copper,primary,2025) 1
    output(copper,primary,2025) shared_capacity(copper,2025) 1
    output(copper,primary,2025) metal_output_min(copper,2025) 1
    output(copper,primary,2025) metal_output_max(copper,2025) 1
    output(copper,primary,2025) output_growth_min(2025) 1
    output(copper,primary,2025) output_growth_min(2026) -1.015
    output(copper,primary,2025) value_added_growth_min(2025) 6180
    output(copper,primary,2025) value_added_growth_min(2026) -6489
    feed(copper,domestic_ore,2025) objective 69000
    feed(copper,domestic_ore,2025) feed_balance(copper,primary,2025) -0.975
    feed(copper,domestic_ore,2025) feed_available(copper,domestic_ore,2025) 1
    feed(copper,domestic_ore,2025) import_dependence_max(copper,2025) -0.66
    feed(copper,domestic_ore,2025) plugin.copper.concentrate_import_dependence(2025) -0.82
    feed(copper,imported_concentrate,2025) objective 70500
    feed(copper,imported_concentrate,2025) feed_balance(copper,primary,2025) -0.975
    feed(copper,imported_concentrate,2025) feed_available(copper,imported_concentrate,2025) 1
    feed(copper,imported_concentrate,2025) import_dependence_max(copper,2025) 0.33999999999999997
    feed(copper,imported_concentrate,2025) plugin.copper.concentrate_import_dependence(2025) 0.18000000000000005
    build(copper,primary,2025) objective 18000
    build(copper,primary,2025) capacity(copper,primary,2025) -1
    build(copper,primary,2025) capacity(copper,primary,2026) -1
    output(copper,recycled,2025) objective 2000
    output(copper,recycled,2025) feed_balance(copper,recycled,2025) 1
    output(copper,recycled,2025) capacity(copper,recycled,2025) 1
    output(copper,recycled,2025) shared_capacity(copper,2025) 1
    output(copper,recycled,2025) metal_output_min(copper,2025) 1
    output(copper,recycled,2025) metal_output_max(copper,2025) 1
    output(copper,recycled,2025) recycled_output_min(2025) 1
    output(copper,recycled,2025) output_growth_min(2025) 1
    output(copper,recycled,2025) output_growth_min(2026) -1.015
    output(copper,recycled,2025) value_added_growth_min(2025) 5150
    output(copper,recycled,2025) value_added_growth_min(2026) -5407.5
    feed(copper,domestic_scrap,2025) objective 69000
    feed(copper,domestic_scrap,2025) feed_balance(copper,recycled,2025) -0.98
    feed(copper,domestic_scrap,2025) feed_available(copper,domestic_scrap,2025) 1
    feed(copper,domestic_scrap,2025) import_dependence_max(copper,2025) -0.66
    feed(copper,domestic_scrap,2025) plugin.copper.domestic_scrap_from_stock(2025) 1
    feed(copper,imported_scrap,2025) objective 69500
    feed(copper,imported_scrap,2025) feed_balance(copper,recycled,2025) -0.98
    feed(copper,imported_scrap,2025) feed_available(copper,imported_scrap,2025) 1
    feed(copper,imported_scrap,2025) import_dependence_max(copper,2025) 0.33999999999999997
    feed(copper,imported_scrap,2025) plugin.copper.imported_scrap_max(2025) 1
    build(copper,recycled,2025) objective 5000
    build(copper,recycled,2025) capacity(copper,recycled,2025) -1
    build(copper,recycled,2025) capacity(copper,recycled,2026) -1
    build_shared(copper,2025) objective 6000
    build_shared(copper,2025) shared_capacity(copper,2025) -1
    build_shared(copper,2025) shared_capacity(copper,2026) -1
    output(copper,primary,2026) objective 4000
    output(copper,primary,2026) feed_balance(copper,primary,2026) 1
    output(copper,primary,2026) capacity(copper,primary,2026) 1
    output(copper,primary,2026) shared_capacity(copper,2026) 1
    output(copper,primary,2026) metal_output_min(copper,2026) 1
    output(copper,primary,2026) metal_output_max(copper,2026) 1
    output(copper,primary,2026) output_growth_min(2026) 1
    output(copper,primary,2026) value_added_growth_min(2026) 6365
    feed(copper,domestic_ore,2026) objective 69000
    feed(copper,domestic_ore,2026) feed_balance(copper,primary,2026) -0.975
    feed(copper,domestic_ore,2026) feed_available(copper,domestic_ore,2026) 1
    feed(copper,domestic_ore,2026) import_dependence_max(copper,2026) -0.66
    feed(copper,domestic_ore,2026) plugin.copper.concentrate_import_dependence(2026) -0.82
    feed(copper,imported_concentrate,2026) objective 70500
    feed(copper,imported_concentrate,2026) feed_balance(copper,primary,2026) -0.975
    feed(copper,imported_concentrate,2026) feed_available(copper,imported_concentrate,2026) 1
    feed(copper,imported_concentrate,2026) import_dependence_max(copper,2026) 0.33999999999999997
    feed(copper,imported_concentrate,2026) plugin.copper.concentrate_import_dependence(2026) 0.18000000000000005
    build(copper,primary,2026) objective 18000
    build(copper,primary,2026) capacity(copper,primary,2026) -1
    output(copper,recycled,2026) objective 2000
    output(copper,recycled,2026) feed_balance(copper,recycled,2026) 1
    output(copper,recycled,2026) capacity(copper,recycled,2026) 1
    output(copper,recycled,2026) shared_capacity(copper,2026) 1
    output(copper,recycled,2026) metal_output_min(copper,2026) 1
    output(copper,recycled,2026) metal_output_max(copper,2026) 1
    output(copper,recycled,2026) recycled_output_min(2026) 1
    output(copper,recycled,2026) output_growth_min(2026) 1
    output(copper,recycled,2026) value_added_growth_min(2026) 5305
    feed(copper,domestic_scrap,2026) objective 69000
    feed(copper,domestic_scrap,2026) feed_balance(copper,recycled,2026) -0.98
    feed(copper,domestic_scrap,2026) feed_available(copper,domestic_scrap,2026) 1
    feed(copper,domestic_scrap,2026) import_dependence_max(copper,2026) -0.66
    feed(copper,domestic_scrap,2026) plugin.copper.domestic_scrap_from_stock(2026) 1
    feed(copper,imported_scrap,2026) objective 69500
    feed(copper,imported_scrap,2026) feed_balance(copper,recycled,2026) -0.98
    feed(copper,imported_scrap,2026) feed_available(copper,imported_scrap,2026) 1
    feed(copper,imported_scrap,2026) import_dependence_max(copper,2026) 0.33999999999999997
    feed(copper,imported_scrap,2026) plugin.copper.imported_scrap_max(2026) 1
    build(copper,recycled,2026) objective 5000
    build(copper,recycled,2026) capacity(copper,recycled,2026) -1
    build_shared(copper,2026) objective 6000
    build_shared(copper,2026) shared_capacity(copper,2026) -1
    output(aluminium,primary,2025) objective 10500
    output(aluminium,primary,2025) feed_balance(aluminium,primary,2025) 1
    output(aluminium,primary,2025) capacity(aluminium,primary,2025) 1
    output(aluminium,primary,2025) metal_output_min(aluminium,2025) 1
    output(aluminium,primary,2025) metal_output_max(aluminium,2025) 1
    output(aluminium,primary,2025) output_growth_min(2025) 1
    output(aluminium,primary,2025) output_growth_min(2026) -1.015
    output(aluminium,primary,2025) value_added_growth_min(2025) 4635
    output(aluminium,primary,2025) value_added_growth_min(2026) -4866.75
    output(aluminium,primary,2025) plugin.aluminium.primary_ceiling(2025) 1
    feed(aluminium,domestic_ore,2025) objective 7500
    feed(aluminium,domestic_ore,2025) feed_balance(aluminium,primary,2025) -0.99
    feed(aluminium,domestic_ore,2025) feed_available(aluminium,domestic_ore,2025) 1
    feed(aluminium,imported_concentrate,2025) objective 7900
    feed(aluminium,imported_concentrate,2025) feed_balance(aluminium,primary,2025) -0.99
    feed(aluminium,imported_concentrate,2025) feed_available(aluminium,imported_concentrate,2025) 1
    output(aluminium,recycled,2025) objective 1500
    output(aluminium,recycled,2025) feed_balance(aluminium,recycled,2025) 1
    output(aluminium,recycled,2025) capacity(aluminium,recycled,2025) 1
    output(aluminium,recycled,2025) metal_output_min(aluminium,2025) 1
    output(aluminium,recycled,2025) metal_output_max(aluminium,2025) 1
    output(aluminium,recycled,2025) recycled_output_min(2025) 1
    output(aluminium,recycled,2025) value_added_growth_min(2025) 2060
    output(aluminium,recycled,2025) value_added_growth_min(2026) -2163
    output(aluminium,recycled,2025) plugin.aluminium.recycled_floor(2025) 1
    feed(aluminium,domestic_scrap,2025) objective 18000
    feed(aluminium,domestic_scrap,2025) feed_balance(aluminium,recycled,2025) -0.94
    feed(aluminium,domestic_scrap,2025) feed_available(aluminium,domestic_scrap,2025) 1
    feed(aluminium,imported_scrap,2025) objective 18300
    feed(aluminium,imported_scrap,2025) feed_balance(aluminium,recycled,2025) -0.94
    feed(aluminium,imported_scrap,2025) feed_available(aluminium,imported_scrap,2025) 1
    build(aluminium,recycled,2025) objective 3000
    build(aluminium,recycled,2025) capacity(aluminium,recycled,2025) -1
    build(aluminium,recycled,2025) capacity(aluminium,recycled,2026) -1
    output(aluminium,primary,2026) objective 10500
    output(aluminium,primary,2026) feed_balance(aluminium,primary,2026) 1
    output(aluminium,primary,2026) capacity(aluminium,primary,2026) 1
    output(aluminium,primary,2026) metal_output_min(aluminium,2026) 1
    output(aluminium,primary,2026) metal_output_max(aluminium,2026) 1
    output(aluminium,primary,2026) output_growth_min(2026) 1
    output(aluminium,primary,2026) value_added_growth_min(2026) 4774
    output(aluminium,primary,2026) plugin.aluminium.primary_ceiling(2026) 1
    feed(aluminium,domestic_ore,2026) objective 7500
    feed(aluminium,domestic_ore,2026) feed_balance(aluminium,primary,2026) -0.99
    feed(aluminium,domestic_ore,2026) feed_available(aluminium,domestic_ore,2026) 1
    feed(aluminium,imported_concentrate,2026) objective 7900
    feed(aluminium,imported_concentrate,2026) feed_balance(aluminium,primary,2026) -0.99
    feed(aluminium,imported_concentrate,2026) feed_available(aluminium,imported_concentrate,2026) 1
    output(aluminium,recycled,2026) objective 1500
    output(aluminium,recycled,2026) feed_balance(aluminium,recycled,2026) 1
    output(aluminium,recycled,2026) capacity(aluminium,recycled,2026) 1
    output(aluminium,recycled,2026) metal_output_min(aluminium,2026) 1
    output(aluminium,recycled,2026) metal_output_max(aluminium,2026) 1
    output(aluminium,recycled,2026) recycled_output_min(2026) 1
    output(aluminium,recycled,2026) value_added_growth_min(2026) 2122
    output(aluminium,recycled,2026) plugin.aluminium.recycled_floor(2026) 1
    feed(aluminium,domestic_scrap,2026) objective 18000
    feed(aluminium,domestic_scrap,2026) feed_balance(aluminium,recycled,2026) -0.94
    feed(aluminium,domestic_scrap,2026) feed_available(aluminium,domestic_scrap,2026) 1
    feed(aluminium,imported_scrap,2026) objective 18300
    feed(aluminium,imported_scrap,2026) feed_balance(aluminium,recycled,2026) -0.94
    feed(aluminium,imported_scrap,2026) feed_available(aluminium,imported_scrap,2026) 1
    build(aluminium,recycled,2026) objective 3000
    build(aluminium,recycled,2026) capacity(aluminium,recycled,2026) -1
    output(lead,primary,2025) objective 2500
    output(lead,primary,2025) feed_balance(lead,primary,2025) 1
    output(lead,primary,2025) capacity(lead,primary,2025) 1
    output(lead,primary,2025) metal_output_min(lead,2025) 1
    output(lead,primary,2025) metal_output_max(lead,2025) 1
    output(lead,primary,2025) output_growth_min(2025) 1
    output(lead,primary,2025) output_growth_min(2026) -1.015
    output(lead,primary,2025) value_added_growth_min(2025) 2575
    output(lead,primary,2025) value_added_growth_min(2026) -2703.75
    feed(lead,domestic_ore,2025) objective 11800
    feed(lead,domestic_ore,2025) feed_balance(lead,primary,2025) -0.97
    feed(lead,domestic_ore,2025) feed_available(lead,domestic_ore,2025) 1
    feed(lead,imported_concentrate,2025) objective 12000
    feed(lead,imported_concentrate,2025) feed_balance(lead,primary,2025) -0.97
    feed(lead,imported_concentrate,2025) feed_available(lead,imported_concentrate,2025) 1
    output(lead,recycled,2025) objective 1500
    output(lead,recycled,2025) feed_balance(lead,recycled,2025) 1
    output(lead,recycled,2025) capacity(lead,recycled,2025) 1
    output(lead,recycled,2025) metal_output_min(lead,2025) 1
    output(lead,recycled,2025) metal_output_max(lead,2025) 1
    output(lead,recycled,2025) recycled_output_min(2025) 1
    output(lead,recycled,2025) output_growth_min(2025) 1
    output(lead,recycled,2025) output_growth_min(2026) -1.015
    output(lead,recycled,2025) value_added_growth_min(2025) 2060
    output(lead,recycled,2025) value_added_growth_min(2026) -2163
    feed(lead,domestic_scrap,2025) objective 11000
    feed(lead,domestic_scrap,2025) feed_balance(lead,recycled,2025) -0.95
    feed(lead,domestic_scrap,2025) feed_available(lead,domestic_scrap,2025) 1
    feed(lead,imported_scrap,2025) objective 11200
    feed(lead,imported_scrap,2025) feed_balance(lead,recycled,2025) -0.95
    feed(lead,imported_scrap,2025) feed_available(lead,imported_scrap,2025) 1
    output(lead,primary,2026) objective 2500
    output(lead,primary,2026) feed_balance(lead,primary,2026) 1
    output(lead,primary,2026) capacity(lead,primary,2026) 1
    output(lead,primary,2026) metal_output_min(lead,2026) 1
    output(lead,primary,2026) metal_output_max(lead,2026) 1
    output(lead,primary,2026) output_growth_min(2026) 1
    output(lead,primary,2026) value_added_growth_min(2026) 2652
    feed(lead,domestic_ore,2026) objective 11800
    feed(lead,domestic_ore,2026) feed_balance(lead,primary,2026) -0.97
    feed(lead,domestic_ore,2026) feed_available(lead,domestic_ore,2026) 1
    feed(lead,imported_concentrate,2026) objective 12000
    feed(lead,imported_concentrate,2026) feed_balance(lead,primary,2026) -0.97
    feed(lead,imported_concentrate,2026) feed_available(lead,imported_concentrate,2026) 1
    output(lead,recycled,2026) objective 1500
    output(lead,recycled,2026) feed_balance(lead,recycled,2026) 1
    output(lead,recycled,2026) capacity(lead,recycled,2026) 1
    output(lead,recycled,2026) metal_output_min(lead,2026) 1
    output(lead,recycled,2026) metal_output_max(lead,2026) 1
    output(lead,recycled,2026) recycled_output_min(2026) 1
    output(lead,recycled,2026) output_growth_min(2026) 1
    output(lead,recycled,2026) value_added_growth_min(2026) 2122
    feed(lead,domestic_scrap,2026) objective 11000
    feed(lead,domestic_scrap,2026) feed_balance(lead,recycled,2026) -0.95
    feed(lead,domestic_scrap,2026) feed_available(lead,domestic_scrap,2026) 1
    feed(lead,imported_scrap,2026) objective 11200
    feed(lead,imported_scrap,2026) feed_balance(lead,recycled,2026) -0.95
    feed(lead,imported_scrap,2026) feed_available(lead,imported_scrap,2026) 1
    output(zinc,primary,2025) objective 4500
    output(zinc,primary,2025) feed_balance(zinc,primary,2025) 1
    output(zinc,primary,2025) capacity(zinc,primary,2025) 1
    output(zinc,primary,2025) metal_output_min(zinc,2025) 1
    output(zinc,primary,2025) metal_output_max(zinc,2025) 1
    output(zinc,primary,2025) output_growth_min(2025) 1
    output(zinc,primary,2025) output_growth_min(2026) -1.015
    output(zinc,primary,2025) value_added_growth_min(2025) 4120
    output(zinc,primary,2025) value_added_growth_min(2026) -4326
    feed(zinc,domestic_ore,2025) objective 19500
    feed(zinc,domestic_ore,2025) feed_balance(zinc,primary,2025) -0.96
    feed(zinc,domestic_ore,2025) feed_available(zinc,domestic_ore,2025) 1
    feed(zinc,imported_concentrate,2025) objective 19800
    feed(zinc,imported_concentrate,2025) feed_balance(zinc,primary,2025) -0.96
    feed(zinc,imported_concentrate,2025) feed_available(zinc,imported_concentrate,2025) 1
    output(zinc,recycled,2025) objective 3000
    output(zinc,recycled,2025) feed_balance(zinc,recycled,2025) 1
    output(zinc,recycled,2025) capacity(zinc,recycled,2025) 1
    output(zinc,recycled,2025) metal_output_min(zinc,2025) 1
    output(zinc,recycled,2025) metal_output_max(zinc,2025) 1
    output(zinc,recycled,2025) recycled_output_min(2025) 1
    output(zinc,recycled,2025) output_growth_min(2025) 1
    output(zinc,recycled,2025) output_growth_min(2026) -1.015
    output(zinc,recycled,2025) value_added_growth_min(2025) 3090
    output(zinc,recycled,2025) value_added_growth_min(2026) -3244.5
    feed(zinc,domestic_scrap,2025) objective 18000
    feed(zinc,domestic_scrap,2025) feed_balance(zinc,recycled,2025) -0.93
    feed(zinc,domestic_scrap,2025) feed_available(zinc,domestic_scrap,2025) 1
    feed(zinc,imported_scrap,2025) objective 18300
    feed(zinc,imported_scrap,2025) feed_balance(zinc,recycled,2025) -0.93
    feed(zinc,imported_scrap,2025) feed_available(zinc,imported_scrap,2025) 1
    output(zinc,primary,2026) objective 4500
    output(zinc,primary,2026) feed_balance(zinc,primary,2026) 1
    output(zinc,primary,2026) capacity(zinc,primary,2026) 1
    output(zinc,primary,2026) metal_output_min(zinc,2026) 1
    output(zinc,primary,2026) metal_output_max(zinc,2026) 1
    output(zinc,primary,2026) output_growth_min(2026) 1
    output(zinc,primary,2026) value_added_growth_min(2026) 4244
    feed(zinc,domestic_ore,2026) objective 19500
    feed(zinc,domestic_ore,2026) feed_balance(zinc,primary,2026) -0.96
    feed(zinc,domestic_ore,2026) feed_available(zinc,domestic_ore,2026) 1
    feed(zinc,imported_concentrate,2026) objective 19800
    feed(zinc,imported_concentrate,2026) feed_balance(zinc,primary,2026) -0.96
    feed(zinc,imported_concentrate,2026) feed_available(zinc,imported_concentrate,2026) 1
    output(zinc,recycled,2026) objective 3000
    output(zinc,recycled,2026) feed_balance(zinc,recycled,2026) 1
    output(zinc,recycled,2026) capacity(zinc,recycled,2026) 1
    output(zinc,recycled,2026) metal_output_min(zinc,2026) 1
    output(zinc,recycled,2026) metal_output_max(zinc,2026) 1
    output(zinc,recycled,2026) recycled_output_min(2026) 1
    output(zinc,recycled,2026) output_growth_min(2026) 1
    output(zinc,recycled,2026) value_added_growth_min(2026) 3183
    feed(zinc,domestic_scrap,2026) objective 18000
    feed(zinc,domestic_scrap,2026) feed_balance(zinc,recycled,2026) -0.93
    feed(zinc,domestic_scrap,2026) feed_available(zinc,domestic_scrap,2026) 1
    feed(zinc,imported_scrap,2026) objective 18300
    feed(zinc,imported_scrap,2026) feed_balance(zinc,recycled,2026) -0.93
    feed(zinc,imported_scrap,2026) feed_available(zinc,imported_scrap,2026) 1
    output(magnesium,primary,2025) objective 14000
    output(magnesium,primary,2025) feed_balance(magnesium,primary,2025) 1
    output(magnesium,primary,2025) capacity(magnesium,primary,2025) 1
    output(magnesium,primary,2025) metal_output_min(magnesium,2025) 1
    output(magnesium,primary,2025) metal_output_max(magnesium,2025) 1
    output(magnesium,primary,2025) output_growth_min(2025) 1
    output(magnesium,primary,2025) output_growth_min(2026) -1.015
    output(magnesium,primary,2025) value_added_growth_min(2025) 3090
    output(magnesium,primary,2025) value_added_growth_min(2026) -3244.5
    feed(magnesium,domestic_ore,2025) objective 2000
    feed(magnesium,domestic_ore,2025) feed_balance(magnesium,primary,2025) -0.9
    feed(magnesium,domestic_ore,2025) feed_available(magnesium,domestic_ore,2025) 1
    output(magnesium,primary,2026) objective 14000
    output(magnesium,primary,2026) feed_balance(magnesium,primary,2026) 1
    output(magnesium,primary,2026) capacity(magnesium,primary,2026) 1
    output(magnesium,primary,2026) metal_output_min(magnesium,2026) 1
    output(magnesium,primary,2026) metal_output_max(magnesium,2026) 1
    output(magnesium,primary,2026) output_growth_min(2026) 1
    output(magnesium,primary,2026) value_added_growth_min(2026) 3183
    feed(magnesium,domestic_ore,2026) objective 2000
    feed(magnesium,domestic_ore,2026) feed_balance(magnesium,primary,2026) -0.9
    feed(magnesium,domestic_ore,2026) feed_available(magnesium,domestic_ore,2026) 1
    output(other_ten_metals,primary,2025) objective 15000
    output(other_ten_metals,primary,2025) feed_balance(other_ten_metals,primary,2025) 1
    output(other_ten_metals,primary,2025) capacity(other_ten_metals,primary,2025) 1
    output(other_ten_metals,primary,2025) metal_output_min(other_ten_metals,2025) 1
    output(other_ten_metals,primary,2025) metal_output_max(other_ten_metals,2025) 1
    output(other_ten_metals,primary,2025) output_growth_min(2025) 1
    output(other_ten_metals,primary,2025) output_growth_min(2026) -1.015
    output(other_ten_metals,primary,2025) value_added_growth_min(2025) 10300
    output(other_ten_metals,primary,2025) value_added_growth_min(2026) -10815
    feed(other_ten_metals,domestic_ore,2025) objective 30000
    feed(other_ten_metals,domestic_ore,2025) feed_balance(other_ten_metals,primary,2025) -0.95
    feed(other_ten_metals,domestic_ore,2025) feed_available(other_ten_metals,domestic_ore,2025) 1
    feed(other_ten_metals,imported_concentrate,2025) objective 31000
    feed(other_ten_metals,imported_concentrate,2025) feed_balance(other_ten_metals,primary,2025) -0.95
    feed(other_ten_metals,imported_concentrate,2025) feed_available(other_ten_metals,imported_concentrate,2025) 1
    output(other_ten_metals,primary,2026) objective 15000
    output(other_ten_metals,primary,2026) feed_balance(other_ten_metals,primary,2026) 1
    output(other_ten_metals,primary,2026) capacity(other_ten_metals,primary,2026) 1
    output(other_ten_metals,primary,2026) metal_output_min(other_ten_metals,2026) 1
    output(other_ten_metals,primary,2026) metal_output_max(other_ten_metals,2026) 1
    output(other_ten_metals,primary,2026) output_growth_min(2026) 1
    output(other_ten_metals,primary,2026) value_added_growth_min(2026) 10609
    feed(other_ten_metals,domestic_ore,2026) objective 30000
    feed(other_ten_metals,domestic_ore,2026) feed_balance(other_ten_metals,primary,2026) -0.95
    feed(other_ten_metals,domestic_ore,2026) feed_available(other_ten_metals,domestic_ore,2026) 1
    feed(other_ten_metals,imported_concentrate,2026) objective 31000
    feed(other_ten_metals,imported_concentrate,2026) feed_balance(other_ten_metals,primary,2026) -0.95
    feed(other_ten_metals,imported_concentrate,2026) feed_available(other_ten_metals,imported_concentrate,2026) 1
    output(lithium,primary,2025) objective 12000
    output(lithium,primary,2025) feed_balance(lithium,primary,2025) 1
    output(lithium,primary,2025) capacity(lithium,primary,2025) 1
    output(lithium,primary,2025) metal_output_min(lithium,2025) 1
    output(lithium,primary,2025) metal_output_max(lithium,2025) 1
    output(lithium,primary,2025) value_added_growth_min(2025) 20600
    output(lithium,primary,2025) value_added_growth_min(2026) -21630
    feed(lithium,domestic_ore,2025) objective 50000
    feed(lithium,domestic_ore,2025) feed_balance(lithium,primary,2025) -0.9
    feed(lithium,domestic_ore,2025) feed_available(lithium,domestic_ore,2025) 1
    feed(lithium,domestic_ore,2025) import_dependence_max(lithium,2025) -0.58
    feed(lithium,domestic_ore,2025) plugin.lithium.china_sourced_floor(2025) 1
    feed(lithium,imported_concentrate,2025) objective 55000
    feed(lithium,imported_concentrate,2025) feed_balance(lithium,primary,2025) -0.9
    feed(lithium,imported_concentrate,2025) feed_available(lithium,imported_concentrate,2025) 1
    feed(lithium,imported_concentrate,2025) import_dependence_max(lithium,2025) 0.42000000000000004
    build(lithium,primary,2025) objective 40000
    build(lithium,primary,2025) capacity(lithium,primary,2025) -1
    build(lithium,primary,2025) capacity(lithium,primary,2026) -1
    output(lithium,recycled,2025) objective 10000
    output(lithium,recycled,2025) feed_balance(lithium,recycled,2025) 1
    output(lithium,recycled,2025) capacity(lithium,recycled,2025) 1
    output(lithium,recycled,2025) metal_output_min(lithium,2025) 1
    output(lithium,recycled,2025) metal_output_max(lithium,2025) 1
    output(lithium,recycled,2025) value_added_growth_min(2025) 15450
    output(lithium,recycled,2025) value_added_growth_min(2026) -16222.5
    output(lithium,recycled,2025) plugin.lithium.recycled_from_batteries(2025) 1
    feed(lithium,domestic_scrap,2025) objective 45000
    feed(lithium,domestic_scrap,2025) feed_balance(lithium,recycled,2025) -0.85
    feed(lithium,domestic_scrap,2025) feed_available(lithium,domestic_scrap,2025) 1
    feed(lithium,domestic_scrap,2025) import_dependence_max(lithium,2025) -0.58
    feed(lithium,domestic_scrap,2025) plugin.lithium.china_sourced_floor(2025) 1
    feed(lithium,imported_scrap,2025) objective 46000
    feed(lithium,imported_scrap,2025) feed_balance(lithium,recycled,2025) -0.85
    feed(lithium,imported_scrap,2025) feed_available(lithium,imported_scrap,2025) 1
    feed(lithium,imported_scrap,2025) import_dependence_max(lithium,2025) 0.42000000000000004
    build(lithium,recycled,2025) objective 30000
    build(lithium,recycled,2025) capacity(lithium,recycled,2025) -1
    build(lithium,recycled,2025) capacity(lithium,recycled,2026) -1
    output(lithium,primary,2026) objective 12000
    output(lithium,primary,2026) feed_balance(lithium,primary,2026) 1
    output(lithium,primary,2026) capacity(lithium,primary,2026) 1
    output(lithium,primary,2026) metal_output_min(lithium,2026) 1
    output(lithium,primary,2026) metal_output_max(lithium,2026) 1
    output(lithium,primary,2026) value_added_growth_min(2026) 21218
    feed(lithium,domestic_ore,2026) objective 50000
    feed(lithium,domestic_ore,2026) feed_balance(lithium,primary,2026) -0.9
    feed(lithium,domestic_ore,2026) feed_available(lithium,domestic_ore,2026) 1
    feed(lithium,domestic_ore,2026) import_dependence_max(lithium,2026) -0.58
    feed(lithium,domestic_ore,2026) plugin.lithium.china_sourced_floor(2026) 1
    feed(lithium,imported_concentrate,2026) objective 55000
    feed(lithium,imported_concentrate,2026) feed_balance(lithium,primary,2026) -0.9
    feed(lithium,imported_concentrate,2026) feed_available(lithium,imported_concentrate,2026) 1
    feed(lithium,imported_concentrate,2026) import_dependence_max(lithium,2026) 0.42000000000000004
    build(lithium,primary,2026) objective 40000
    build(lithium,primary,2026) capacity(lithium,primary,2026) -1
    output(lithium,recycled,2026) objective 10000
    output(lithium,recycled,2026) feed_balance(lithium,recycled,2026) 1
    output(lithium,recycled,2026) capacity(lithium,recycled,2026) 1
    output(lithium,recycled,2026) metal_output_min(lithium,2026) 1
    output(lithium,recycled,2026) metal_output_max(lithium,2026) 1
    output(lithium,recycled,2026) value_added_growth_min(2026) 15914
    output(lithium,recycled,2026) plugin.lithium.recycled_from_batteries(2026) 1
    feed(lithium,domestic_scrap,2026) objective 45000
    feed(lithium,domestic_scrap,2026) feed_balance(lithium,recycled,2026) -0.85
    feed(lithium,domestic_scrap,2026) feed_available(lithium,domestic_scrap,2026) 1
    feed(lithium,domestic_scrap,2026) import_dependence_max(lithium,2026) -0.58
    feed(lithium,domestic_scrap,2026) plugin.lithium.china_sourced_floor(2026) 1
    feed(lithium,imported_scrap,2026) objective 46000
    feed(lithium,imported_scrap,2026) feed_balance(lithium,recycled,2026) -0.85
    feed(lithium,imported_scrap,2026) feed_available(lithium,imported_scrap,2026) 1
    feed(lithium,imported_scrap,2026) import_dependence_max(lithium,2026) 0.42000000000000004
    build(lithium,recycled,2026) objective 30000
    build(lithium,recycled,2026) capacity(lithium,recycled,2026) -1
RHS
    RHS feed_available(copper,domestic_ore,2025) 1.9
    RHS feed_available(copper,imported_concentrate,2025) 7.6
    RHS capacity(copper,primary,2025) 10.5
    RHS feed_available(copper,domestic_scrap,2025) 3
    RHS feed_available(copper,imported_scrap,2025) 1.9
    RHS capacity(copper,recycled,2025) 5.5
    RHS shared_capacity(copper,2025) 15
    RHS metal_output_min(copper,2025) 13.6
    RHS metal_output_max(copper,2025) 14.28
    RHS feed_available(copper,domestic_ore,2026) 1.95
    RHS feed_available(copper,imported_concentrate,2026) 7.6
    RHS capacity(copper,primary,2026) 10.5
    RHS feed_available(copper,domestic_scrap,2026) 3.2
    RHS feed_available(copper,imported_scrap,2026) 1.9
    RHS capacity(copper,recycled,2026) 5.5
    RHS shared_capacity(copper,2026) 15
    RHS metal_output_min(copper,2026) 13.6
    RHS metal_output_max(copper,2026) 14.99
    RHS feed_available(aluminium,domestic_ore,2025) 16
    RHS feed_available(aluminium,imported_concentrate,2025) 32
    RHS capacity(aluminium,primary,2025) 45
    RHS feed_available(aluminium,domestic_scrap,2025) 10.5
    RHS feed_available(aluminium,imported_scrap,2025) 2.6
    RHS capacity(aluminium,recycled,2025) 13
    RHS metal_output_min(aluminium,2025) 54.32
    RHS metal_output_max(aluminium,2025) 56.5
    RHS feed_available(aluminium,domestic_ore,2026) 16
    RHS feed_available(aluminium,imported_concentrate,2026) 32
    RHS capacity(aluminium,primary,2026) 45
    RHS feed_available(aluminium,domestic_scrap,2026) 11.6
    RHS feed_available(aluminium,imported_scrap,2026) 2.6
    RHS capacity(aluminium,recycled,2026) 13
    RHS metal_output_min(aluminium,2026) 54.32
    RHS metal_output_max(aluminium,2026) 58.8
    RHS feed_available(lead,domestic_ore,2025) 2
    RHS feed_available(lead,imported_concentrate,2025) 2.2
    RHS capacity(lead,primary,2025) 5
    RHS feed_available(lead,domestic_scrap,2025) 3.8
    RHS feed_available(lead,imported_scrap,2025) 0.05
    RHS capacity(lead,recycled,2025) 5
    RHS metal_output_min(lead,2025) 7.4
    RHS metal_output_max(lead,2025) 7.7
    RHS feed_available(lead,domestic_ore,2026) 2
    RHS feed_available(lead,imported_concentrate,2026) 2.2
    RHS capacity(lead,primary,2026) 5
    RHS feed_available(lead,domestic_scrap,2026) 3.9
    RHS feed_available(lead,imported_scrap,2026) 0.05
    RHS capacity(lead,recycled,2026) 5
    RHS metal_output_min(lead,2026) 7.4
    RHS metal_output_max(lead,2026) 8
    RHS feed_available(zinc,domestic_ore,2025) 3.2
    RHS feed_available(zinc,imported_concentrate,2025) 2.8
    RHS capacity(zinc,primary,2025) 6.5
    RHS feed_available(zinc,domestic_scrap,2025) 1.35
    RHS feed_available(zinc,imported_scrap,2025) 0.05
    RHS capacity(zinc,recycled,2025) 1.6
    RHS metal_output_min(zinc,2025) 6.8
    RHS metal_output_max(zinc,2025) 7.1
    RHS feed_available(zinc,domestic_ore,2026) 3.2
    RHS feed_available(zinc,imported_concentrate,2026) 2.8
    RHS capacity(zinc,primary,2026) 6.5
    RHS feed_available(zinc,domestic_scrap,2026) 1.4
    RHS feed_available(zinc,imported_scrap,2026) 0.05
    RHS capacity(zinc,recycled,2026) 1.6
    RHS metal_output_min(zinc,2026) 6.8
    RHS metal_output_max(zinc,2026) 7.4
    RHS feed_available(magnesium,domestic_ore,2025) 3
    RHS capacity(magnesium,primary,2025) 1.3
    RHS metal_output_min(magnesium,2025) 1.03
    RHS metal_output_max(magnesium,2025) 1.08
    RHS feed_available(magnesium,domestic_ore,2026) 3
    RHS capacity(magnesium,primary,2026) 1.3
    RHS metal_output_min(magnesium,2026) 1.03
    RHS metal_output_max(magnesium,2026) 1.12
    RHS feed_available(other_ten_metals,domestic_ore,2025) 3.6
    RHS feed_available(other_ten_metals,imported_concentrate,2025) 3.6
    RHS capacity(other_ten_metals,primary,2025) 7.2
    RHS metal_output_min(other_ten_metals,2025) 6.54
    RHS metal_output_max(other_ten_metals,2025) 6.85
    RHS feed_available(other_ten_metals,domestic_ore,2026) 3.6
    RHS feed_available(other_ten_metals,imported_concentrate,2026) 3.6
    RHS capacity(other_ten_metals,primary,2026) 7.2
    RHS metal_output_min(other_ten_metals,2026) 6.54
    RHS metal_output_max(other_ten_metals,2026) 7.1
    RHS feed_available(lithium,domestic_ore,2025) 0.42
    RHS feed_available(lithium,imported_concentrate,2025) 0.85
    RHS capacity(lithium,primary,2025) 1.3
    RHS feed_available(lithium,domestic_scrap,2025) 0.14
    RHS feed_available(lithium,imported_scrap,2025) 0.02
    RHS capacity(lithium,recycled,2025) 0.2
    RHS metal_output_min(lithium,2025) 1
    RHS metal_output_max(lithium,2025) 1.2
    RHS feed_available(lithium,domestic_ore,2026) 0.52
    RHS feed_available(lithium,imported_concentrate,2026) 0.9
    RHS capacity(lithium,primary,2026) 1.3
    RHS feed_available(lithium,domestic_scrap,2026) 0.18
    RHS feed_available(lithium,imported_scrap,2026) 0.02
    RHS capacity(lithium,recycled,2026) 0.2
    RHS metal_output_min(lithium,2026) 1
    RHS metal_output_max(lithium,2026) 1.44
    RHS recycled_output_min(2025) 20
    RHS recycled_output_min(2026) 20
    RHS output_growth_min(2025) 80.37785000000001
    RHS value_added_growth_min(2025) 447321
    RHS plugin.aluminium.primary_ceiling(2025) 45
    RHS plugin.aluminium.recycled_floor(2025) 11.5
    RHS plugin.aluminium.primary_ceiling(2026) 45
    RHS plugin.aluminium.recycled_floor(2026) 13.25
    RHS plugin.copper.domestic_scrap_from_stock(2025) 3.1218983338713993
    RHS plugin.copper.imported_scrap_max(2025) 1.9
    RHS plugin.copper.domestic_scrap_from_stock(2026) 3.3241098829521207
    RHS plugin.copper.imported_scrap_max(2026) 1.9
    RHS plugin.lithium.recycled_from_batteries(2025) 0.1114218081448214
    RHS plugin.lithium.china_sourced_floor(2025) 0.5366666666666666
    RHS plugin.lithium.recycled_from_batteries(2026) 0.12080564240164196
    RHS plugin.lithium.china_sourced_floor(2026) 0.6533333333333333
BOUNDS
 UP BND build(copper,primary,2025) 0.5
 UP BND build(copper,recycled,2025) 0.5
 UP BND build_shared(copper,2025) 0.6
 UP BND build(copper,primary,2026) 0.5
 UP BND build(copper,recycled,2026) 0.5
 UP BND build_shared(copper,2026) 0.6
 UP BND build(aluminium,recycled,2025) 2
 UP BND build(aluminium,recycled,2026) 2
 UP BND build(lithium,primary,2025) 0.15
 UP BND build(lithium,recycled,2025) 0.1
 UP BND build(lithium,primary,2026) 0.15
 UP BND build(lithium,recycled,2026) 0.1
ENDATA
