#!/usr/bin/env python3
"""The metalplan model of a generated scenario, written with linopy and solved by HiGHS (highspy).

This is the comparison point of `benches/compare.py`: the same linear program metalplan builds
(docs/model.md, M1-M3, M8, M9, M14, M21, M22) for the features `metalplan generate` uses, read
from the same scenario.toml and facilities.csv. It refuses any scenario using a feature it does
not model, so the comparison can never be between two different programs. It prints the
objective (CNY, like metalplan's JSON) and writes facility outputs to a CSV, as metalplan writes
its plan.

Usage: linopy_model.py SCENARIO.toml OUTPUT.csv
"""

import sys
import time
import tomllib
from pathlib import Path

import linopy
import numpy as np
import pandas as pd
import xarray as xr

SUPPORTED_TOP = {"name", "base_year", "years", "discount_rate", "facilities_csv", "targets", "metals"}
SUPPORTED_TARGETS = {"output_growth_min", "recycled_output_min_mt"}
SUPPORTED_ROUTE = {
    "base_output_mt", "capacity_mt", "operating_cost_cny_per_t", "value_added_cny_per_t",
    "co2_t_per_t", "counts_toward_output_total", "feed",
}
FEEDS = {
    "primary": ("domestic_ore", "imported_concentrate"),
    "recycled": ("domestic_scrap", "imported_scrap"),
}


def per_year(value, years):
    """A scalar or a {year: value} table, as one value per planning year."""
    if isinstance(value, dict):
        return np.array([float(value[str(y)] if str(y) in value else value[y]) for y in years])
    return np.full(len(years), float(value))


def refuse_unknown(found, supported, where):
    unknown = set(found) - supported
    if unknown:
        sys.exit(f"linopy_model.py: {where} uses {sorted(unknown)}, which this model does not have")


def main():
    started = time.perf_counter()
    scenario_path, output_path = Path(sys.argv[1]), Path(sys.argv[2])
    scenario = tomllib.loads(scenario_path.read_text())
    refuse_unknown(scenario, SUPPORTED_TOP, "the scenario")
    refuse_unknown(scenario.get("targets", {}), SUPPORTED_TARGETS, "targets")
    years = scenario["years"]
    base_year = scenario["base_year"]
    discount = (1.0 + scenario.get("discount_rate", 0.0)) ** -(np.array(years) - base_year)
    year_index = pd.Index(years, name="year")

    # Routes and feed sources, in scenario order.
    routes, feeds = [], []
    for metal in scenario["metals"]:
        for route_name in ("primary", "recycled"):
            spec = metal.get(route_name)
            if spec is None:
                continue
            refuse_unknown(spec, SUPPORTED_ROUTE, f"{metal['name']}.{route_name}")
            key = f"{metal['name']}/{route_name}"
            routes.append({
                "route": key,
                "metal": metal["name"],
                "kind": route_name,
                "base": float(spec.get("base_output_mt", 0.0)),
                "capacity": float(spec["capacity_mt"]),
                "cost": float(spec["operating_cost_cny_per_t"]),
                "counts": bool(spec.get("counts_toward_output_total", True)),
            })
            for source in FEEDS[route_name]:
                feed = spec.get("feed", {}).get(source)
                if feed is None:
                    continue
                feeds.append({
                    "feed": f"{key}/{source}",
                    "route": key,
                    "available": per_year(feed["available_mt"], years),
                    "cost": float(feed["cost_cny_per_t"]),
                    "recovery": float(feed["recovery"]),
                })
    # Sorted, because groupby sums come out sorted by label and linopy can align same-sized
    # dimensions by position; sorting makes both orders the same (checked below).
    routes.sort(key=lambda r: r["route"])
    feeds.sort(key=lambda f: f["feed"])
    route_index = pd.Index([r["route"] for r in routes], name="route")
    feed_index = pd.Index([f["feed"] for f in feeds], name="feed")

    facilities = pd.read_csv(scenario_path.parent / scenario["facilities_csv"])
    facilities["route"] = facilities["metal"] + "/" + facilities["route"]
    facility_index = pd.Index(facilities["id"], name="facility")
    first = xr.DataArray(facilities["first_year"].to_numpy(), coords=[facility_index])
    last = xr.DataArray(facilities["last_year"].to_numpy(), coords=[facility_index])
    year_da = xr.DataArray(np.array(years), coords=[year_index])
    operating = (first <= year_da) & (year_da <= last)
    max_build = xr.DataArray(facilities["max_build_mt_per_year"].to_numpy(), coords=[facility_index])
    expands = operating & (max_build > 0)

    m = linopy.Model()
    # Quantities in Mt and money in million CNY, as metalplan's model (docs/model.md).
    output = m.add_variables(lower=0, coords=[route_index, year_index], name="output")
    feed = m.add_variables(lower=0, coords=[feed_index, year_index], name="feed")
    facility_output = m.add_variables(lower=0, coords=[facility_index, year_index], name="facility_output", mask=operating)
    facility_build = m.add_variables(
        lower=0, upper=max_build.broadcast_like(expands), coords=[facility_index, year_index],
        name="facility_build", mask=expands,
    )

    # M1: output = sum of recovery x feed.
    feed_route = xr.DataArray([f["route"] for f in feeds], coords=[feed_index])
    recovery = xr.DataArray([f["recovery"] for f in feeds], coords=[feed_index])
    recovered = (recovery * feed).groupby(feed_route.rename("route")).sum()
    assert list(recovered.coords["route"].values) == list(route_index), "feed groups out of order"
    m.add_constraints(output - recovered == 0, name="feed_balance")
    # M2: feed drawn <= available.
    available = xr.DataArray(np.array([f["available"] for f in feeds]), coords=[feed_index, year_index])
    m.add_constraints(feed <= available, name="feed_available")
    # M3: route output <= national capacity (no national builds in generated scenarios).
    capacity = xr.DataArray([r["capacity"] for r in routes], coords=[route_index])
    m.add_constraints(output <= capacity, name="capacity")
    # M21: facility output - its expansions so far <= its capacity.
    facility_capacity = xr.DataArray(facilities["capacity_mt"].to_numpy(), coords=[facility_index])
    m.add_constraints(
        facility_output - facility_build.cumsum("year") <= facility_capacity,
        name="facility_capacity", mask=operating,
    )
    # M22: route output = sum of its facilities' outputs.
    facility_route = xr.DataArray(facilities["route"].to_numpy(), coords=[facility_index], name="route")
    by_route = facility_output.groupby(facility_route).sum()
    assert list(by_route.coords["route"].values) == list(route_index), "every route needs facilities"
    m.add_constraints(output - by_route == 0, name="facility_total")

    targets = scenario.get("targets", {})
    # M8: recycled output floor.
    if "recycled_output_min_mt" in targets:
        recycled = xr.DataArray([1.0 if r["kind"] == "recycled" else 0.0 for r in routes], coords=[route_index])
        floor = xr.DataArray(per_year(targets["recycled_output_min_mt"], years), coords=[year_index])
        m.add_constraints((recycled * output).sum("route") >= floor, name="recycled_output_min")
    # M9: ten-metal output growth, against observed base output in the first year.
    if "output_growth_min" in targets:
        growth = per_year(targets["output_growth_min"], years)
        counts = xr.DataArray([1.0 if r["counts"] else 0.0 for r in routes], coords=[route_index])
        total = (counts * output).sum("route")
        base_total = sum(r["base"] for r in routes if r["counts"])
        # Year 1 against the observed base; later years against the year before.
        growth_da = xr.DataArray(growth, coords=[year_index])
        base_rhs = xr.DataArray(
            [(1 + growth[0]) * base_total] + [0.0] * (len(years) - 1), coords=[year_index]
        )
        m.add_constraints(total - (1 + growth_da) * total.shift(year=1) >= base_rhs, name="output_growth_min")

    # M14: discounted cost.
    weight = xr.DataArray(discount, coords=[year_index])
    route_cost = xr.DataArray([r["cost"] for r in routes], coords=[route_index])
    feed_cost = xr.DataArray([f["cost"] for f in feeds], coords=[feed_index])
    facility_cost = xr.DataArray(facilities["operating_cost_cny_per_t"].to_numpy(), coords=[facility_index])
    investment = xr.DataArray(facilities["investment_cny_per_t"].to_numpy(), coords=[facility_index])
    m.add_objective(
        (weight * route_cost * output).sum()
        + (weight * feed_cost * feed).sum()
        + (weight * facility_cost * facility_output).sum()
        + (weight * investment * facility_build).sum()
    )

    built = time.perf_counter()
    status, condition = m.solve(solver_name="highs", io_api="direct", threads=1, parallel="off", output_flag=False)
    if status != "ok":
        sys.exit(f"linopy_model.py: HiGHS ended with {status} / {condition}")
    solved = time.perf_counter()
    # Million CNY -> CNY, as metalplan reports it.
    print(f"objective {m.objective.value * 1e6:.6f}")
    print(f"read_and_build_seconds {built - started:.3f}")
    print(f"solve_seconds {solved - built:.3f}")
    solution = facility_output.solution.to_series().dropna().rename("output_mt").reset_index()
    solution.to_csv(output_path, index=False)


if __name__ == "__main__":
    main()
