* metalplan 0.1.0: objective cost in internal units (million CNY, Mt)
NAME metalplan
ROWS
 N objective
 E feed_balance(nickel,primary,2025)
 L feed_available(nickel,imported_concentrate,2025)
 L capacity(nickel,primary,2025)
 G metal_output_min(nickel,2025)
 E feed_balance(nickel,primary,2026)
 L feed_available(nickel,imported_concentrate,2026)
 L capacity(nickel,primary,2026)
 G metal_output_min(nickel,2026)
 E feed_balance(nickel,primary,2027)
 L feed_available(nickel,imported_concentrate,2027)
 L capacity(nickel,primary,2027)
 G metal_output_min(nickel,2027)
 L facility_capacity(NI~CHEAP,2025)
 L facility_capacity(NI~CHEAP,2026)
 L facility_capacity(NI~CHEAP,2027)
 L facility_capacity(NI~DEAR,2025)
 L facility_capacity(NI~DEAR,2026)
 L facility_capacity(NI~DEAR,2027)
 E facility_total(nickel,primary,2025)
 E facility_total(nickel,primary,2026)
 E facility_total(nickel,primary,2027)
COLUMNS
    output(nickel,primary,2025) objective 0
    output(nickel,primary,2025) feed_balance(nickel,primary,2025) 1
    output(nickel,primary,2025) capacity(nickel,primary,2025) 1
    output(nickel,primary,2025) metal_output_min(nickel,2025) 1
    output(nickel,primary,2025) facility_total(nickel,primary,2025) 1
    feed(nickel,imported_concentrate,2025) objective 7200
    feed(nickel,imported_concentrate,2025) feed_balance(nickel,primary,2025) -0.9
    feed(nickel,imported_concentrate,2025) feed_available(nickel,imported_concentrate,2025) 1
    output(nickel,primary,2026) objective 0
    output(nickel,primary,2026) feed_balance(nickel,primary,2026) 1
    output(nickel,primary,2026) capacity(nickel,primary,2026) 1
    output(nickel,primary,2026) metal_output_min(nickel,2026) 1
    output(nickel,primary,2026) facility_total(nickel,primary,2026) 1
    feed(nickel,imported_concentrate,2026) objective 5760
    feed(nickel,imported_concentrate,2026) feed_balance(nickel,primary,2026) -0.9
    feed(nickel,imported_concentrate,2026) feed_available(nickel,imported_concentrate,2026) 1
    output(nickel,primary,2027) objective 0
    output(nickel,primary,2027) feed_balance(nickel,primary,2027) 1
    output(nickel,primary,2027) capacity(nickel,primary,2027) 1
    output(nickel,primary,2027) metal_output_min(nickel,2027) 1
    output(nickel,primary,2027) facility_total(nickel,primary,2027) 1
    feed(nickel,imported_concentrate,2027) objective 4608
    feed(nickel,imported_concentrate,2027) feed_balance(nickel,primary,2027) -0.9
    feed(nickel,imported_concentrate,2027) feed_available(nickel,imported_concentrate,2027) 1
    facility_output(NI~CHEAP,2025) objective 800
    facility_output(NI~CHEAP,2025) facility_capacity(NI~CHEAP,2025) 1
    facility_output(NI~CHEAP,2025) facility_total(nickel,primary,2025) -1
    facility_build(NI~CHEAP,2025) objective 4800
    facility_build(NI~CHEAP,2025) facility_capacity(NI~CHEAP,2025) -1
    facility_build(NI~CHEAP,2025) facility_capacity(NI~CHEAP,2026) -1
    facility_build(NI~CHEAP,2025) facility_capacity(NI~CHEAP,2027) -1
    facility_output(NI~CHEAP,2026) objective 640
    facility_output(NI~CHEAP,2026) facility_capacity(NI~CHEAP,2026) 1
    facility_output(NI~CHEAP,2026) facility_total(nickel,primary,2026) -1
    facility_build(NI~CHEAP,2026) objective 3840
    facility_build(NI~CHEAP,2026) facility_capacity(NI~CHEAP,2026) -1
    facility_build(NI~CHEAP,2026) facility_capacity(NI~CHEAP,2027) -1
    facility_output(NI~CHEAP,2027) objective 512
    facility_output(NI~CHEAP,2027) facility_capacity(NI~CHEAP,2027) 1
    facility_output(NI~CHEAP,2027) facility_total(nickel,primary,2027) -1
    facility_build(NI~CHEAP,2027) objective 3072
    facility_build(NI~CHEAP,2027) facility_capacity(NI~CHEAP,2027) -1
    facility_output(NI~DEAR,2025) objective 4800
    facility_output(NI~DEAR,2025) facility_capacity(NI~DEAR,2025) 1
    facility_output(NI~DEAR,2025) facility_total(nickel,primary,2025) -1
    facility_output(NI~DEAR,2026) objective 3840
    facility_output(NI~DEAR,2026) facility_capacity(NI~DEAR,2026) 1
    facility_output(NI~DEAR,2026) facility_total(nickel,primary,2026) -1
    facility_output(NI~DEAR,2027) objective 3072
    facility_output(NI~DEAR,2027) facility_capacity(NI~DEAR,2027) 1
    facility_output(NI~DEAR,2027) facility_total(nickel,primary,2027) -1
RHS
    RHS feed_available(nickel,imported_concentrate,2025) 10
    RHS capacity(nickel,primary,2025) 10
    RHS metal_output_min(nickel,2025) 1.2
    RHS feed_available(nickel,imported_concentrate,2026) 10
    RHS capacity(nickel,primary,2026) 10
    RHS metal_output_min(nickel,2026) 1.9
    RHS feed_available(nickel,imported_concentrate,2027) 10
    RHS capacity(nickel,primary,2027) 10
    RHS metal_output_min(nickel,2027) 2.1
    RHS facility_capacity(NI~CHEAP,2025) 1
    RHS facility_capacity(NI~CHEAP,2026) 1
    RHS facility_capacity(NI~CHEAP,2027) 1
    RHS facility_capacity(NI~DEAR,2025) 2
    RHS facility_capacity(NI~DEAR,2026) 2
    RHS facility_capacity(NI~DEAR,2027) 2
BOUNDS
 UP BND facility_build(NI~CHEAP,2025) 0.5
 UP BND facility_build(NI~CHEAP,2026) 0.5
 UP BND facility_build(NI~CHEAP,2027) 0.5
ENDATA
