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
 E feed_balance(copper,primary,2027)
 L feed_available(copper,domestic_ore,2027)
 L feed_available(copper,imported_concentrate,2027)
 L capacity(copper,primary,2027)
 E feed_balance(copper,recycled,2027)
 L feed_available(copper,domestic_scrap,2027)
 L feed_available(copper,imported_scrap,2027)
 L capacity(copper,recycled,2027)
 L shared_capacity(copper,2027)
 G metal_output_min(copper,2027)
 L metal_output_max(copper,2027)
 E feed_balance(aluminium,primary,2025)
 L feed_available(aluminium,domestic_ore,2025)
 L feed_available(aluminium,imported_concentrate,2025)
 L capacity(aluminium,primary,2025)
 E feed_balance(aluminium,recycled,2025)
 L feed_available(aluminium,domestic_scrap,2025)
 L capacity(aluminium,recycled,2025)
 E feed_balance(aluminium,primary,2026)
 L feed_available(aluminium,domestic_ore,2026)
 L feed_available(aluminium,imported_concentrate,2026)
 L capacity(aluminium,primary,2026)
 E feed_balance(aluminium,recycled,2026)
 L feed_available(aluminium,domestic_scrap,2026)
 L capacity(aluminium,recycled,2026)
 E feed_balance(aluminium,primary,2027)
 L feed_available(aluminium,domestic_ore,2027)
 L feed_available(aluminium,imported_concentrate,2027)
 L capacity(aluminium,primary,2027)
 E feed_balance(aluminium,recycled,2027)
 L feed_available(aluminium,domestic_scrap,2027)
 L capacity(aluminium,recycled,2027)
 E feed_balance(lithium,recycled,2025)
 L feed_available(lithium,domestic_scrap,2025)
 L capacity(lithium,recycled,2025)
 E feed_balance(lithium,recycled,2026)
 L feed_available(lithium,domestic_scrap,2026)
 L capacity(lithium,recycled,2026)
 G metal_output_min(lithium,2026)
 E feed_balance(lithium,recycled,2027)
 L feed_available(lithium,domestic_scrap,2027)
 L capacity(lithium,recycled,2027)
 G metal_output_min(lithium,2027)
 G recycled_output_min(2026)
 G recycled_output_min(2027)
 G output_growth_min(2025)
 G output_growth_min(2026)
 G output_growth_min(2027)
 L output_growth_max(2025)
 L output_growth_max(2026)
 L output_growth_max(2027)
 G value_added_growth_min(2025)
 G value_added_growth_min(2026)
 G value_added_growth_min(2027)
 L import_dependence_max(aluminium,2025)
 L import_dependence_max(aluminium,2026)
 L import_dependence_max(aluminium,2027)
 L import_dependence_max(copper,2025)
 L import_dependence_max(copper,2026)
 L import_dependence_max(copper,2027)
 L co2_max(2026)
 L co2_max(2027)
COLUMNS
    output(copper,primary,2025) objective 3703.7037037037035
    output(copper,primary,2025) feed_balance(copper,primary,2025) 1
    output(copper,primary,2025) capacity(copper,primary,2025) 1
    output(copper,primary,2025) shared_capacity(copper,2025) 1
    output(copper,primary,2025) metal_output_min(copper,2025) 1
    output(copper,primary,2025) metal_output_max(copper,2025) 1
    output(copper,primary,2025) output_growth_min(2025) 1
    output(copper,primary,2025) output_growth_min(2026) -1.04
    output(copper,primary,2025) output_growth_max(2025) 1
    output(copper,primary,2025) output_growth_max(2026) -1.1
    output(copper,primary,2025) value_added_growth_min(2025) 6100
    output(copper,primary,2025) value_added_growth_min(2026) -6283
    feed(copper,domestic_ore,2025) objective 55555.55555555555
    feed(copper,domestic_ore,2025) feed_balance(copper,primary,2025) -0.97
    feed(copper,domestic_ore,2025) feed_available(copper,domestic_ore,2025) 1
    feed(copper,domestic_ore,2025) import_dependence_max(copper,2025) -0.55
    feed(copper,imported_concentrate,2025) objective 57407.4074074074
    feed(copper,imported_concentrate,2025) feed_balance(copper,primary,2025) -0.97
    feed(copper,imported_concentrate,2025) feed_available(copper,imported_concentrate,2025) 1
    feed(copper,imported_concentrate,2025) import_dependence_max(copper,2025) 0.44999999999999996
    build(copper,primary,2025) objective 13888.888888888887
    build(copper,primary,2025) capacity(copper,primary,2025) -1
    build(copper,primary,2025) capacity(copper,primary,2026) -1
    build(copper,primary,2025) capacity(copper,primary,2027) -1
    output(copper,recycled,2025) objective 1851.8518518518517
    output(copper,recycled,2025) feed_balance(copper,recycled,2025) 1
    output(copper,recycled,2025) capacity(copper,recycled,2025) 1
    output(copper,recycled,2025) shared_capacity(copper,2025) 1
    output(copper,recycled,2025) metal_output_min(copper,2025) 1
    output(copper,recycled,2025) metal_output_max(copper,2025) 1
    output(copper,recycled,2025) output_growth_min(2025) 1
    output(copper,recycled,2025) output_growth_min(2026) -1.04
    output(copper,recycled,2025) output_growth_max(2025) 1
    output(copper,recycled,2025) output_growth_max(2026) -1.1
    output(copper,recycled,2025) value_added_growth_min(2025) 5000
    output(copper,recycled,2025) value_added_growth_min(2026) -5150
    feed(copper,domestic_scrap,2025) objective 53703.7037037037
    feed(copper,domestic_scrap,2025) feed_balance(copper,recycled,2025) -0.98
    feed(copper,domestic_scrap,2025) feed_available(copper,domestic_scrap,2025) 1
    feed(copper,domestic_scrap,2025) import_dependence_max(copper,2025) -0.55
    feed(copper,imported_scrap,2025) objective 55555.55555555555
    feed(copper,imported_scrap,2025) feed_balance(copper,recycled,2025) -0.98
    feed(copper,imported_scrap,2025) feed_available(copper,imported_scrap,2025) 1
    feed(copper,imported_scrap,2025) import_dependence_max(copper,2025) 0.44999999999999996
    build(copper,recycled,2025) objective 4629.629629629629
    build(copper,recycled,2025) capacity(copper,recycled,2025) -1
    build(copper,recycled,2025) capacity(copper,recycled,2026) -1
    build(copper,recycled,2025) capacity(copper,recycled,2027) -1
    build_shared(copper,2025) objective 3703.7037037037035
    build_shared(copper,2025) shared_capacity(copper,2025) -1
    build_shared(copper,2025) shared_capacity(copper,2026) -1
    build_shared(copper,2025) shared_capacity(copper,2027) -1
    output(copper,primary,2026) objective 3429.355281207133
    output(copper,primary,2026) feed_balance(copper,primary,2026) 1
    output(copper,primary,2026) capacity(copper,primary,2026) 1
    output(copper,primary,2026) shared_capacity(copper,2026) 1
    output(copper,primary,2026) metal_output_min(copper,2026) 1
    output(copper,primary,2026) metal_output_max(copper,2026) 1
    output(copper,primary,2026) output_growth_min(2026) 1
    output(copper,primary,2026) output_growth_min(2027) -1.04
    output(copper,primary,2026) output_growth_max(2026) 1
    output(copper,primary,2026) output_growth_max(2027) -1.1
    output(copper,primary,2026) value_added_growth_min(2026) 6200
    output(copper,primary,2026) value_added_growth_min(2027) -6386
    output(copper,primary,2026) co2_max(2026) 4
    feed(copper,domestic_ore,2026) objective 51440.32921810699
    feed(copper,domestic_ore,2026) feed_balance(copper,primary,2026) -0.97
    feed(copper,domestic_ore,2026) feed_available(copper,domestic_ore,2026) 1
    feed(copper,domestic_ore,2026) import_dependence_max(copper,2026) -0.5
    feed(copper,imported_concentrate,2026) objective 53155.006858710556
    feed(copper,imported_concentrate,2026) feed_balance(copper,primary,2026) -0.97
    feed(copper,imported_concentrate,2026) feed_available(copper,imported_concentrate,2026) 1
    feed(copper,imported_concentrate,2026) import_dependence_max(copper,2026) 0.5
    build(copper,primary,2026) objective 12860.082304526748
    build(copper,primary,2026) capacity(copper,primary,2026) -1
    build(copper,primary,2026) capacity(copper,primary,2027) -1
    output(copper,recycled,2026) objective 1714.6776406035665
    output(copper,recycled,2026) feed_balance(copper,recycled,2026) 1
    output(copper,recycled,2026) capacity(copper,recycled,2026) 1
    output(copper,recycled,2026) shared_capacity(copper,2026) 1
    output(copper,recycled,2026) metal_output_min(copper,2026) 1
    output(copper,recycled,2026) metal_output_max(copper,2026) 1
    output(copper,recycled,2026) recycled_output_min(2026) 1
    output(copper,recycled,2026) output_growth_min(2026) 1
    output(copper,recycled,2026) output_growth_min(2027) -1.04
    output(copper,recycled,2026) output_growth_max(2026) 1
    output(copper,recycled,2026) output_growth_max(2027) -1.1
    output(copper,recycled,2026) value_added_growth_min(2026) 5000
    output(copper,recycled,2026) value_added_growth_min(2027) -5150
    output(copper,recycled,2026) co2_max(2026) 0.8
    feed(copper,domestic_scrap,2026) objective 49725.65157750343
    feed(copper,domestic_scrap,2026) feed_balance(copper,recycled,2026) -0.98
    feed(copper,domestic_scrap,2026) feed_available(copper,domestic_scrap,2026) 1
    feed(copper,domestic_scrap,2026) import_dependence_max(copper,2026) -0.5
    feed(copper,imported_scrap,2026) objective 51440.32921810699
    feed(copper,imported_scrap,2026) feed_balance(copper,recycled,2026) -0.98
    feed(copper,imported_scrap,2026) feed_available(copper,imported_scrap,2026) 1
    feed(copper,imported_scrap,2026) import_dependence_max(copper,2026) 0.5
    build(copper,recycled,2026) objective 4286.694101508916
    build(copper,recycled,2026) capacity(copper,recycled,2026) -1
    build(copper,recycled,2026) capacity(copper,recycled,2027) -1
    build_shared(copper,2026) objective 3429.355281207133
    build_shared(copper,2026) shared_capacity(copper,2026) -1
    build_shared(copper,2026) shared_capacity(copper,2027) -1
    output(copper,primary,2027) objective 3175.3289640806784
    output(copper,primary,2027) feed_balance(copper,primary,2027) 1
    output(copper,primary,2027) capacity(copper,primary,2027) 1
    output(copper,primary,2027) shared_capacity(copper,2027) 1
    output(copper,primary,2027) metal_output_min(copper,2027) 1
    output(copper,primary,2027) metal_output_max(copper,2027) 1
    output(copper,primary,2027) output_growth_min(2027) 1
    output(copper,primary,2027) output_growth_max(2027) 1
    output(copper,primary,2027) value_added_growth_min(2027) 6300
    output(copper,primary,2027) co2_max(2027) 4
    feed(copper,domestic_ore,2027) objective 47629.93446121018
    feed(copper,domestic_ore,2027) feed_balance(copper,primary,2027) -0.97
    feed(copper,domestic_ore,2027) feed_available(copper,domestic_ore,2027) 1
    feed(copper,domestic_ore,2027) import_dependence_max(copper,2027) -0.45
    feed(copper,imported_concentrate,2027) objective 49217.598943250516
    feed(copper,imported_concentrate,2027) feed_balance(copper,primary,2027) -0.97
    feed(copper,imported_concentrate,2027) feed_available(copper,imported_concentrate,2027) 1
    feed(copper,imported_concentrate,2027) import_dependence_max(copper,2027) 0.55
    build(copper,primary,2027) objective 11907.483615302544
    build(copper,primary,2027) capacity(copper,primary,2027) -1
    output(copper,recycled,2027) objective 1587.6644820403392
    output(copper,recycled,2027) feed_balance(copper,recycled,2027) 1
    output(copper,recycled,2027) capacity(copper,recycled,2027) 1
    output(copper,recycled,2027) shared_capacity(copper,2027) 1
    output(copper,recycled,2027) metal_output_min(copper,2027) 1
    output(copper,recycled,2027) metal_output_max(copper,2027) 1
    output(copper,recycled,2027) recycled_output_min(2027) 1
    output(copper,recycled,2027) output_growth_min(2027) 1
    output(copper,recycled,2027) output_growth_max(2027) 1
    output(copper,recycled,2027) value_added_growth_min(2027) 5000
    output(copper,recycled,2027) co2_max(2027) 0.8
    feed(copper,domestic_scrap,2027) objective 46042.26997916983
    feed(copper,domestic_scrap,2027) feed_balance(copper,recycled,2027) -0.98
    feed(copper,domestic_scrap,2027) feed_available(copper,domestic_scrap,2027) 1
    feed(copper,domestic_scrap,2027) import_dependence_max(copper,2027) -0.45
    feed(copper,imported_scrap,2027) objective 47629.93446121018
    feed(copper,imported_scrap,2027) feed_balance(copper,recycled,2027) -0.98
    feed(copper,imported_scrap,2027) feed_available(copper,imported_scrap,2027) 1
    feed(copper,imported_scrap,2027) import_dependence_max(copper,2027) 0.55
    build(copper,recycled,2027) objective 3969.161205100848
    build(copper,recycled,2027) capacity(copper,recycled,2027) -1
    build_shared(copper,2027) objective 3175.3289640806784
    build_shared(copper,2027) shared_capacity(copper,2027) -1
    output(aluminium,primary,2025) objective 8333.333333333332
    output(aluminium,primary,2025) feed_balance(aluminium,primary,2025) 1
    output(aluminium,primary,2025) capacity(aluminium,primary,2025) 1
    output(aluminium,primary,2025) output_growth_min(2025) 1
    output(aluminium,primary,2025) output_growth_min(2026) -1.04
    output(aluminium,primary,2025) output_growth_max(2025) 1
    output(aluminium,primary,2025) output_growth_max(2026) -1.1
    output(aluminium,primary,2025) value_added_growth_min(2025) 4000
    output(aluminium,primary,2025) value_added_growth_min(2026) -4120
    feed(aluminium,domestic_ore,2025) objective 6481.481481481481
    feed(aluminium,domestic_ore,2025) feed_balance(aluminium,primary,2025) -0.99
    feed(aluminium,domestic_ore,2025) feed_available(aluminium,domestic_ore,2025) 1
    feed(aluminium,domestic_ore,2025) import_dependence_max(aluminium,2025) -0.52
    feed(aluminium,imported_concentrate,2025) objective 6944.444444444443
    feed(aluminium,imported_concentrate,2025) feed_balance(aluminium,primary,2025) -0.99
    feed(aluminium,imported_concentrate,2025) feed_available(aluminium,imported_concentrate,2025) 1
    feed(aluminium,imported_concentrate,2025) import_dependence_max(aluminium,2025) 0.48
    output(aluminium,recycled,2025) objective 1388.8888888888887
    output(aluminium,recycled,2025) feed_balance(aluminium,recycled,2025) 1
    output(aluminium,recycled,2025) capacity(aluminium,recycled,2025) 1
    output(aluminium,recycled,2025) value_added_growth_min(2025) 2000
    output(aluminium,recycled,2025) value_added_growth_min(2026) -2060
    feed(aluminium,domestic_scrap,2025) objective 15740.740740740739
    feed(aluminium,domestic_scrap,2025) feed_balance(aluminium,recycled,2025) -0.92
    feed(aluminium,domestic_scrap,2025) feed_available(aluminium,domestic_scrap,2025) 1
    feed(aluminium,domestic_scrap,2025) import_dependence_max(aluminium,2025) -0.52
    build(aluminium,recycled,2025) objective 2777.7777777777774
    build(aluminium,recycled,2025) capacity(aluminium,recycled,2025) -1
    build(aluminium,recycled,2025) capacity(aluminium,recycled,2026) -1
    build(aluminium,recycled,2025) capacity(aluminium,recycled,2027) -1
    output(aluminium,primary,2026) objective 7716.049382716049
    output(aluminium,primary,2026) feed_balance(aluminium,primary,2026) 1
    output(aluminium,primary,2026) capacity(aluminium,primary,2026) 1
    output(aluminium,primary,2026) output_growth_min(2026) 1
    output(aluminium,primary,2026) output_growth_min(2027) -1.04
    output(aluminium,primary,2026) output_growth_max(2026) 1
    output(aluminium,primary,2026) output_growth_max(2027) -1.1
    output(aluminium,primary,2026) value_added_growth_min(2026) 4000
    output(aluminium,primary,2026) value_added_growth_min(2027) -4120
    output(aluminium,primary,2026) co2_max(2026) 12
    feed(aluminium,domestic_ore,2026) objective 6001.371742112482
    feed(aluminium,domestic_ore,2026) feed_balance(aluminium,primary,2026) -0.99
    feed(aluminium,domestic_ore,2026) feed_available(aluminium,domestic_ore,2026) 1
    feed(aluminium,domestic_ore,2026) import_dependence_max(aluminium,2026) -0.52
    feed(aluminium,imported_concentrate,2026) objective 6430.041152263374
    feed(aluminium,imported_concentrate,2026) feed_balance(aluminium,primary,2026) -0.99
    feed(aluminium,imported_concentrate,2026) feed_available(aluminium,imported_concentrate,2026) 1
    feed(aluminium,imported_concentrate,2026) import_dependence_max(aluminium,2026) 0.48
    output(aluminium,recycled,2026) objective 1286.0082304526748
    output(aluminium,recycled,2026) feed_balance(aluminium,recycled,2026) 1
    output(aluminium,recycled,2026) capacity(aluminium,recycled,2026) 1
    output(aluminium,recycled,2026) recycled_output_min(2026) 1
    output(aluminium,recycled,2026) value_added_growth_min(2026) 2000
    output(aluminium,recycled,2026) value_added_growth_min(2027) -2060
    output(aluminium,recycled,2026) co2_max(2026) 0.7
    feed(aluminium,domestic_scrap,2026) objective 14574.759945130314
    feed(aluminium,domestic_scrap,2026) feed_balance(aluminium,recycled,2026) -0.92
    feed(aluminium,domestic_scrap,2026) feed_available(aluminium,domestic_scrap,2026) 1
    feed(aluminium,domestic_scrap,2026) import_dependence_max(aluminium,2026) -0.52
    build(aluminium,recycled,2026) objective 2572.0164609053495
    build(aluminium,recycled,2026) capacity(aluminium,recycled,2026) -1
    build(aluminium,recycled,2026) capacity(aluminium,recycled,2027) -1
    output(aluminium,primary,2027) objective 7144.490169181527
    output(aluminium,primary,2027) feed_balance(aluminium,primary,2027) 1
    output(aluminium,primary,2027) capacity(aluminium,primary,2027) 1
    output(aluminium,primary,2027) output_growth_min(2027) 1
    output(aluminium,primary,2027) output_growth_max(2027) 1
    output(aluminium,primary,2027) value_added_growth_min(2027) 4000
    output(aluminium,primary,2027) co2_max(2027) 12
    feed(aluminium,domestic_ore,2027) objective 5556.825687141187
    feed(aluminium,domestic_ore,2027) feed_balance(aluminium,primary,2027) -0.99
    feed(aluminium,domestic_ore,2027) feed_available(aluminium,domestic_ore,2027) 1
    feed(aluminium,domestic_ore,2027) import_dependence_max(aluminium,2027) -0.52
    feed(aluminium,imported_concentrate,2027) objective 5953.741807651272
    feed(aluminium,imported_concentrate,2027) feed_balance(aluminium,primary,2027) -0.99
    feed(aluminium,imported_concentrate,2027) feed_available(aluminium,imported_concentrate,2027) 1
    feed(aluminium,imported_concentrate,2027) import_dependence_max(aluminium,2027) 0.48
    output(aluminium,recycled,2027) objective 1190.7483615302544
    output(aluminium,recycled,2027) feed_balance(aluminium,recycled,2027) 1
    output(aluminium,recycled,2027) capacity(aluminium,recycled,2027) 1
    output(aluminium,recycled,2027) recycled_output_min(2027) 1
    output(aluminium,recycled,2027) value_added_growth_min(2027) 2000
    output(aluminium,recycled,2027) co2_max(2027) 0.7
    feed(aluminium,domestic_scrap,2027) objective 13495.148097342882
    feed(aluminium,domestic_scrap,2027) feed_balance(aluminium,recycled,2027) -0.92
    feed(aluminium,domestic_scrap,2027) feed_available(aluminium,domestic_scrap,2027) 1
    feed(aluminium,domestic_scrap,2027) import_dependence_max(aluminium,2027) -0.52
    build(aluminium,recycled,2027) objective 2381.496723060509
    build(aluminium,recycled,2027) capacity(aluminium,recycled,2027) -1
    output(lithium,recycled,2025) objective 9259.259259259257
    output(lithium,recycled,2025) feed_balance(lithium,recycled,2025) 1
    output(lithium,recycled,2025) capacity(lithium,recycled,2025) 1
    output(lithium,recycled,2025) value_added_growth_min(2025) 15000
    output(lithium,recycled,2025) value_added_growth_min(2026) -15450
    feed(lithium,domestic_scrap,2025) objective 41666.666666666664
    feed(lithium,domestic_scrap,2025) feed_balance(lithium,recycled,2025) -0.85
    feed(lithium,domestic_scrap,2025) feed_available(lithium,domestic_scrap,2025) 1
    build(lithium,recycled,2025) objective 27777.777777777774
    build(lithium,recycled,2025) capacity(lithium,recycled,2025) -1
    build(lithium,recycled,2025) capacity(lithium,recycled,2026) -1
    build(lithium,recycled,2025) capacity(lithium,recycled,2027) -1
    output(lithium,recycled,2026) objective 8573.388203017832
    output(lithium,recycled,2026) feed_balance(lithium,recycled,2026) 1
    output(lithium,recycled,2026) capacity(lithium,recycled,2026) 1
    output(lithium,recycled,2026) metal_output_min(lithium,2026) 1
    output(lithium,recycled,2026) value_added_growth_min(2026) 15000
    output(lithium,recycled,2026) value_added_growth_min(2027) -15450
    output(lithium,recycled,2026) co2_max(2026) 3
    feed(lithium,domestic_scrap,2026) objective 38580.246913580246
    feed(lithium,domestic_scrap,2026) feed_balance(lithium,recycled,2026) -0.85
    feed(lithium,domestic_scrap,2026) feed_available(lithium,domestic_scrap,2026) 1
    build(lithium,recycled,2026) objective 25720.164609053496
    build(lithium,recycled,2026) capacity(lithium,recycled,2026) -1
    build(lithium,recycled,2026) capacity(lithium,recycled,2027) -1
    output(lithium,recycled,2027) objective 7938.322410201696
    output(lithium,recycled,2027) feed_balance(lithium,recycled,2027) 1
    output(lithium,recycled,2027) capacity(lithium,recycled,2027) 1
    output(lithium,recycled,2027) metal_output_min(lithium,2027) 1
    output(lithium,recycled,2027) value_added_growth_min(2027) 15000
    output(lithium,recycled,2027) co2_max(2027) 3
    feed(lithium,domestic_scrap,2027) objective 35722.45084590763
    feed(lithium,domestic_scrap,2027) feed_balance(lithium,recycled,2027) -0.85
    feed(lithium,domestic_scrap,2027) feed_available(lithium,domestic_scrap,2027) 1
    build(lithium,recycled,2027) objective 23814.96723060509
    build(lithium,recycled,2027) capacity(lithium,recycled,2027) -1
RHS
    RHS feed_available(copper,domestic_ore,2025) 2
    RHS feed_available(copper,imported_concentrate,2025) 6
    RHS capacity(copper,primary,2025) 6.5
    RHS feed_available(copper,domestic_scrap,2025) 2
    RHS feed_available(copper,imported_scrap,2025) 1
    RHS capacity(copper,recycled,2025) 2.2
    RHS shared_capacity(copper,2025) 8.5
    RHS metal_output_min(copper,2025) 8
    RHS metal_output_max(copper,2025) 9
    RHS feed_available(copper,domestic_ore,2026) 2.2
    RHS feed_available(copper,imported_concentrate,2026) 6
    RHS capacity(copper,primary,2026) 6.5
    RHS feed_available(copper,domestic_scrap,2026) 2.3
    RHS feed_available(copper,imported_scrap,2026) 1
    RHS capacity(copper,recycled,2026) 2.2
    RHS shared_capacity(copper,2026) 8.5
    RHS metal_output_min(copper,2026) 8
    RHS metal_output_max(copper,2026) 9.5
    RHS feed_available(copper,domestic_ore,2027) 2.4
    RHS feed_available(copper,imported_concentrate,2027) 6
    RHS capacity(copper,primary,2027) 6.5
    RHS feed_available(copper,domestic_scrap,2027) 2.6
    RHS feed_available(copper,imported_scrap,2027) 1
    RHS capacity(copper,recycled,2027) 2.2
    RHS shared_capacity(copper,2027) 8.5
    RHS metal_output_min(copper,2027) 8
    RHS metal_output_max(copper,2027) 10
    RHS feed_available(aluminium,domestic_ore,2025) 10
    RHS feed_available(aluminium,imported_concentrate,2025) 15
    RHS capacity(aluminium,primary,2025) 21
    RHS feed_available(aluminium,domestic_scrap,2025) 5
    RHS capacity(aluminium,recycled,2025) 4.5
    RHS feed_available(aluminium,domestic_ore,2026) 10
    RHS feed_available(aluminium,imported_concentrate,2026) 15
    RHS capacity(aluminium,primary,2026) 22
    RHS feed_available(aluminium,domestic_scrap,2026) 5
    RHS capacity(aluminium,recycled,2026) 4.5
    RHS feed_available(aluminium,domestic_ore,2027) 10
    RHS feed_available(aluminium,imported_concentrate,2027) 15
    RHS capacity(aluminium,primary,2027) 23
    RHS feed_available(aluminium,domestic_scrap,2027) 5
    RHS capacity(aluminium,recycled,2027) 4.5
    RHS feed_available(lithium,domestic_scrap,2025) 0.15
    RHS capacity(lithium,recycled,2025) 0.1
    RHS feed_available(lithium,domestic_scrap,2026) 0.2
    RHS capacity(lithium,recycled,2026) 0.1
    RHS metal_output_min(lithium,2026) 0.14
    RHS feed_available(lithium,domestic_scrap,2027) 0.25
    RHS capacity(lithium,recycled,2027) 0.1
    RHS metal_output_min(lithium,2027) 0.18
    RHS recycled_output_min(2026) 4
    RHS recycled_output_min(2027) 4.5
    RHS output_growth_min(2025) 29.12
    RHS output_growth_max(2025) 29.12
    RHS value_added_growth_min(2025) 138792.5
    RHS co2_max(2026) 300
    RHS co2_max(2027) 300
BOUNDS
 UP BND build(copper,primary,2025) 0.5
 UP BND build(copper,recycled,2025) 0.4
 UP BND build_shared(copper,2025) 0.5
 UP BND build(copper,primary,2026) 0.5
 UP BND build(copper,recycled,2026) 0.4
 UP BND build_shared(copper,2026) 0.5
 UP BND build(copper,primary,2027) 0.5
 UP BND build(copper,recycled,2027) 0.4
 UP BND build_shared(copper,2027) 0.5
 UP BND build(aluminium,recycled,2025) 1
 UP BND build(aluminium,recycled,2026) 1
 UP BND build(aluminium,recycled,2027) 1
 UP BND build(lithium,recycled,2025) 0.05
 UP BND build(lithium,recycled,2026) 0.05
 UP BND build(lithium,recycled,2027) 0.05
ENDATA
