#!/usr/bin/env python3
"""Independent re-implementation of metalplan's linear program.

Written from docs/model.md and docs/scenario.md (plus docs/constraints.md for the syntax of
`[[constraints]]` and docs/plugins.md for the plugin interface) only, without reading the
product code. Plugin rows (M18) are an input of the model: they are taken from
`metalplan plugins inspect LIB --scenario FILE`.

Internal units follow docs/model.md "Units": Mt, million CNY (Mt x CNY/t), Mt CO2. The
objective is printed in the unit metalplan reports: CNY for cost, value added and welfare,
t CO2 for emissions, t for imports.

Usage:
    python3 model.py SCENARIO [--objective cost|emissions|imports|value_added|welfare]
                              [--soft-targets] [--no-tie-break] [--metalplan PATH] [--json]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import os
import re
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import highspy

INF = math.inf
REPO = Path(__file__).resolve().parents[2]
DEFAULT_BINARY = REPO / "target" / "release" / "metalplan"

SOURCES = {
    "primary": ["domestic_ore", "imported_concentrate"],
    "recycled": ["domestic_scrap", "imported_scrap"],
}
IMPORTED = {"imported_concentrate", "imported_scrap"}
ROUTES = ["primary", "recycled"]
OBJECTIVES = ["cost", "emissions", "imports", "value_added", "welfare"]

# Ties (docs/model.md): the band kept around the first stage's optimum z*.
BAND_REL = 1e-7
BAND_ABS = 1e-9


class ModelError(Exception):
    pass


# --------------------------------------------------------------------------------------------
# Scenario reading
# --------------------------------------------------------------------------------------------


def load_scenario(path: Path) -> dict:
    text = path.read_bytes()
    if path.suffix == ".toml":
        return tomllib.loads(text.decode("utf-8"))
    if path.suffix == ".json":
        return json.loads(text)
    raise ModelError(f"unknown scenario format: {path}")


class PerYear:
    """A per-year value: one number for every year, or a table keyed by year."""

    def __init__(self, raw, what: str):
        self.what = what
        if isinstance(raw, dict):
            self.single = None
            self.table = {int(k): float(v) for k, v in raw.items()}
        else:
            self.single = float(raw)
            self.table = None

    def has(self, y: int) -> bool:
        return self.single is not None or y in self.table

    def __call__(self, y: int) -> float:
        if self.single is not None:
            return self.single
        if y not in self.table:
            raise ModelError(f"{self.what}: no value for {y}")
        return self.table[y]

    def years(self, planning: list[int]) -> list[int]:
        """Years a target or market bound constrains: all planning years for a single number,
        the listed ones for a table (docs/scenario.md, "Per-year values")."""
        if self.single is not None:
            return list(planning)
        return [y for y in planning if y in self.table]


def per_year(raw, what, default=None):
    if raw is None:
        if default is None:
            return None
        return PerYear(default, what)
    return PerYear(raw, what)


# --------------------------------------------------------------------------------------------
# Linear program container
# --------------------------------------------------------------------------------------------


@dataclass
class LP:
    names: list = field(default_factory=list)
    lb: list = field(default_factory=list)
    ub: list = field(default_factory=list)
    index: dict = field(default_factory=dict)
    row_names: list = field(default_factory=list)
    row_lo: list = field(default_factory=list)
    row_hi: list = field(default_factory=list)
    row_terms: list = field(default_factory=list)

    def var(self, key, lb=0.0, ub=INF) -> int:
        if key in self.index:
            raise ModelError(f"variable {key} declared twice")
        i = len(self.names)
        self.names.append(key)
        self.lb.append(lb)
        self.ub.append(ub)
        self.index[key] = i
        return i

    def has(self, key) -> bool:
        return key in self.index

    def __getitem__(self, key) -> int:
        return self.index[key]

    def row(self, name, terms: dict, sense: str, rhs: float):
        terms = {j: c for j, c in terms.items() if c != 0.0}
        if sense == "<=":
            lo, hi = -INF, rhs
        elif sense == ">=":
            lo, hi = rhs, INF
        elif sense == "=":
            lo, hi = rhs, rhs
        else:
            raise ModelError(f"bad sense {sense}")
        self.row_names.append(name)
        self.row_terms.append(terms)
        self.row_lo.append(lo)
        self.row_hi.append(hi)
        return len(self.row_names) - 1


def add(expr: dict, j: int, c: float):
    expr[j] = expr.get(j, 0.0) + c


def add_expr(expr: dict, other: dict, scale: float = 1.0):
    for j, c in other.items():
        add(expr, j, scale * c)


def evaluate(expr: dict, x) -> float:
    return sum(c * x[j] for j, c in expr.items())


# --------------------------------------------------------------------------------------------
# Plugins (M18): rows taken from `metalplan plugins inspect`
# --------------------------------------------------------------------------------------------

NUM = r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"


def plugin_library(entry: dict, scenario_path: Path, binary: Path) -> Path:
    if "path" in entry:
        return (scenario_path.parent / entry["path"]).resolve()
    fname = f"libmetalplan_plugin_{entry['name']}.so"
    for folder in os.environ.get("METALPLAN_PLUGIN_PATH", "").split(":"):
        if folder and (Path(folder) / fname).exists():
            return Path(folder) / fname
    return binary.parent / fname


def parse_inspect(text: str) -> dict:
    """Reads the constraints, variables and objective terms printed by `plugins inspect`."""
    out = {"constraints": [], "variables": [], "objective": []}
    section = None
    decoder = json.JSONDecoder()
    for line in text.splitlines():
        m = re.match(r"^(constraints|variables|objective terms|figures) \((\d+)\):$", line)
        if m:
            section = m.group(1)
            if section in ("variables", "objective terms") and int(m.group(2)) > 0:
                # docs/plugins.md shows only empty variable and objective-term lists, so the
                # printed form of a declared variable is not documented.
                raise ModelError(
                    f"plugin declares {section}; their `inspect` format is not documented"
                )
            continue
        if not line.startswith("  ") or section != "constraints":
            if not line.startswith("  "):
                section = None if not line.startswith("for ") else section
            continue
        body = line.strip()
        name, rest = body.split(": ", 1)
        terms = []
        pos = 0
        while True:
            rest_s = rest[pos:].lstrip()
            pos = len(rest) - len(rest_s)
            m = re.match(rf"({NUM}) \{{", rest_s)
            if not m:
                break
            coef = float(m.group(1))
            obj, end = decoder.raw_decode(rest_s, m.end() - 1)
            terms.append((coef, obj))
            pos += end
        m = re.match(rf"^\s*(<=|>=|=)\s+({NUM})\s*$", rest[pos:])
        if not m:
            raise ModelError(f"cannot read plugin constraint line: {line}")
        out["constraints"].append(
            {"name": name, "terms": terms, "sense": m.group(1), "rhs": float(m.group(2))}
        )
    return out


def plugin_rows(scenario: dict, scenario_path: Path, binary: Path) -> list:
    result = []
    for entry in scenario.get("plugins", []) or []:
        lib = plugin_library(entry, scenario_path, binary)
        proc = subprocess.run(
            [str(binary), "plugins", "inspect", str(lib), "--scenario", str(scenario_path)],
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            raise ModelError(f"plugins inspect failed for {lib}: {proc.stderr}")
        result.append(parse_inspect(proc.stdout))
    return result


# --------------------------------------------------------------------------------------------
# Model
# --------------------------------------------------------------------------------------------


@dataclass
class Model:
    lp: LP
    cost: dict
    emissions: dict
    imports: dict
    value_added: dict
    welfare: dict  # to maximise
    soft: dict  # weighted total shortfall (empty without soft targets)
    info: dict


def read_facilities(sc: dict, scenario_path: Path) -> list[dict]:
    if sc.get("facilities"):
        rows = [dict(f) for f in sc["facilities"]]
    elif sc.get("facilities_csv"):
        text = (scenario_path.parent / sc["facilities_csv"]).read_text()
        lines = [
            ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")
        ]
        reader = csv.reader(io.StringIO("\n".join(lines)))
        header = [h.strip() for h in next(reader)]
        rows = []
        for rec in reader:
            rows.append({h: v.strip() for h, v in zip(header, rec)})
    else:
        return []
    out = []
    for r in rows:
        out.append(
            {
                "id": str(r["id"]),
                "metal": str(r["metal"]),
                "route": str(r["route"]),
                "capacity": float(r["capacity_mt"]),
                "opc": float(r["operating_cost_cny_per_t"]),
                "first": int(r["first_year"]),
                "last": int(r["last_year"]),
                "bmax": float(r.get("max_build_mt_per_year", 0) or 0),
                "inv": float(r.get("investment_cny_per_t", 0) or 0),
            }
        )
    return out


def constraint_years(rule: dict, Y: list[int]) -> list[int]:
    ys = rule.get("years")
    if ys is None:
        return list(Y)
    if isinstance(ys, int):
        return [ys]
    if isinstance(ys, list):
        return [int(v) for v in ys]
    if isinstance(ys, dict):
        return list(range(int(ys["from"]), int(ys["to"]) + 1))
    raise ModelError(f"constraint {rule.get('name')}: bad years")


def as_list(v):
    if v is None:
        return None
    return v if isinstance(v, list) else [v]


def parse_additions(d: dict, what: str) -> dict:
    """Additions of one recycled output (docs/scenario.md, "Recycling: grades, products and
    additions"): `primary_input_t_per_t` (ap) and `alloying.<e>` (ae, pe, ce)."""
    alloy = {}
    for e, ad in (d.get("alloying") or {}).items():
        alloy[e] = {
            "t": PerYear(ad["t_per_t"], f"{what}.alloying.{e}.t_per_t"),
            "price": PerYear(ad["price_cny_per_t"], f"{what}.alloying.{e}.price_cny_per_t"),
            "co2": per_year(ad.get("co2_t_per_t"), f"{what}.alloying.{e}.co2_t_per_t", 0.0),
        }
    return {
        "ap": per_year(d.get("primary_input_t_per_t"), f"{what}.primary_input_t_per_t", 0.0),
        "has_ap": d.get("primary_input_t_per_t") is not None,
        "alloy": alloy,
    }


def additions_total(out: dict, y: int) -> float:
    """A[m,o,y] = ap + sum over e of ae."""
    return out["ap"](y) + sum(a["t"](y) for a in out["alloy"].values())


def build_model(
    sc: dict,
    scenario_path: Path,
    objective: str,
    soft_targets: bool = False,
    plugins: list | None = None,
) -> Model:
    lp = LP()
    y0 = int(sc["base_year"])
    Y = [int(y) for y in sc["years"]]
    prev = {y: (Y[i - 1] if i > 0 else y0) for i, y in enumerate(Y)}
    d = float(sc.get("discount_rate", 0.0))
    disc = {y: (1.0 + d) ** (-(y - y0)) for y in Y}
    soft_targets = soft_targets or bool(sc.get("soft_targets", False))
    welfare = objective == "welfare"

    metals = sc["metals"]
    names = [m["name"] for m in metals]
    M = {m["name"]: m for m in metals}

    cost: dict = {}
    emis: dict = {}
    imps: dict = {}
    va: dict = {}
    wtp: dict = {}  # willingness to pay and export revenue (welfare), discounted
    soft: dict = {}

    # Per-year totals, as expressions (dict var -> coef) plus constants for y0.
    OT = {y: {} for y in Y}
    RT = {y: {} for y in Y}
    V = {y: {} for y in Y}
    E = {y: {} for y in Y}
    OT0 = 0.0
    V0 = 0.0
    base_va_weight_num = 0.0  # sum va[m,r,y0] * base[m,r]
    base_total = 0.0  # sum base[m,r]

    PD = {}  # m -> {y: expression} or None (no primary input)
    W = {}  # m -> [(process, mwh, key prefix of xp)]
    sources = {}  # electricity sources, file order
    for sd in ((sc.get("electricity") or {}).get("sources") or []):
        sources[sd["name"]] = {
            "avail": PerYear(sd["available_twh"], f"electricity.{sd['name']}.available_twh"),
            "price": PerYear(sd["price_cny_per_mwh"], f"electricity.{sd['name']}.price"),
            "co2": PerYear(sd["co2_t_per_mwh"], f"electricity.{sd['name']}.co2"),
            "clean": bool(sd.get("clean", False)),
        }
    X = lambda *k: lp[k]  # noqa: E731
    routes = {}  # (m, r) -> parsed route
    stages = {}  # m -> list of parsed stages (ordered)
    facilities = read_facilities(sc, scenario_path)

    # ---------------- columns: routes, feed, builds ----------------
    for m in names:
        md = M[m]
        for r in ROUTES:
            if r not in md:
                continue
            rd = md[r]
            R = {
                "base": float(rd["base_output_mt"]),
                "cap": PerYear(rd["capacity_mt"], f"{m}.{r}.capacity_mt"),
                "bmax": per_year(rd.get("max_build_mt_per_year"), "bmax"),
                "inv": per_year(rd.get("investment_cny_per_t"), "inv"),
                "opc": PerYear(rd["operating_cost_cny_per_t"], "opc"),
                "va": PerYear(rd["value_added_cny_per_t"], "va"),
                "co2": PerYear(rd["co2_t_per_t"], "co2"),
                "T": 1.0 if rd.get("counts_toward_output_total", True) else 0.0,
                "C": (1.0 if rd.get("counts_toward_recycled_total", True) else 0.0)
                if r == "recycled"
                else 0.0,
                "feed": {},
                "inputs": {
                    h: PerYear(v, f"{m}.{r}.input_t_per_t.{h}")
                    for h, v in (rd.get("input_t_per_t") or {}).items()
                },
            }
            R["mwh"] = per_year(rd.get("electricity_mwh_per_t"), f"{m}.{r}.electricity")
            if r == "recycled":
                # Gr(m): in name order; Pr(m): in file order; O(m): the products, or the route
                # itself (written o = None) when it has none.
                R["grades"] = {}
                for gname in sorted((rd.get("grades") or {})):
                    gd = rd["grades"][gname]
                    R["grades"][gname] = {
                        "imported": gd["origin"] == "imported",
                        "avail": PerYear(gd["available_mt"], f"{m}.grades.{gname}.available"),
                        "cost": PerYear(gd["cost_cny_per_t"], f"{m}.grades.{gname}.cost"),
                        "rec": float(gd["recovery"]),
                    }
                R["products"] = []
                for pd_ in rd.get("products") or []:
                    P_ = parse_additions(pd_, f"{m}.products.{pd_['name']}")
                    P_.update({
                        "name": pd_["name"],
                        "obase": float(pd_.get("base_output_mt", 0.0)),
                        "omin": per_year(pd_.get("output_min_mt"), "product omin"),
                        "sgmax": {g: PerYear(v, f"{m}.{pd_['name']}.max_grade_share.{g}")
                                  for g, v in (pd_.get("max_grade_share") or {}).items()},
                    })
                    R["products"].append(P_)
                if R["products"]:
                    R["outputs"] = {P_["name"]: P_ for P_ in R["products"]}
                else:
                    own = parse_additions(rd, f"{m}.recycled")
                    own["obase"] = R["base"]
                    R["outputs"] = {None: own}
            for s in SOURCES[r]:
                fd = (rd.get("feed") or {}).get(s)
                if fd is None:
                    continue
                R["feed"][s] = {
                    "avail": PerYear(fd["available_mt"], "avail"),
                    "cost": PerYear(fd["cost_cny_per_t"], "fc"),
                    "rec": float(fd["recovery"]),
                }
            routes[(m, r)] = R
            OT0 += R["T"] * R["base"]
            V0 += R["va"](y0) * R["base"]
            base_va_weight_num += R["va"](y0) * R["base"]
            base_total += R["base"]
            for y in Y:
                x = lp.var(("x", m, r, y))
                add(cost, x, disc[y] * R["opc"](y))
                add(OT[y], x, R["T"])
                add(RT[y], x, R["C"])
                add(V[y], x, R["va"](y))
                add(E[y], x, R["co2"](y))
                for s, F in R["feed"].items():
                    f = lp.var(("f", m, s, y))
                    add(cost, f, disc[y] * F["cost"](y))
                    if s in IMPORTED:
                        add(imps, f, 1.0)
                if R["bmax"] is not None and R["bmax"](y) > 0:
                    b = lp.var(("b", m, r, y), 0.0, R["bmax"](y))
                    add(cost, b, disc[y] * R["inv"](y))
                if r == "recycled":
                    # xo[m,o,y] (products only; without products the output is x[m,S,y])
                    for o, O in R["outputs"].items():
                        xo = x if o is None else lp.var(("xo", m, o, y))
                        # additions' cost and CO2 sit on the output they are added to
                        for a in O["alloy"].values():
                            add(cost, xo, disc[y] * a["t"](y) * a["price"](y))
                            add(E[y], xo, a["t"](y) * a["co2"](y))
                        # u[m,g,o,y]: grade use, cost gc (M14), imported grades in M16
                        for gname, Gd in R["grades"].items():
                            u = lp.var(("ug", m, gname, o, y))
                            add(cost, u, disc[y] * Gd["cost"](y))
                            if Gd["imported"]:
                                add(imps, u, 1.0)
        # PD[m,y]: primary metal drawn into recycled output; OT takes it out once where both
        # routes count toward the total (docs/model.md, "Derived expressions").
        PD[m] = None
        if (m, "recycled") in routes:
            RS = routes[(m, "recycled")]
            if any(O["has_ap"] for O in RS["outputs"].values()):
                PD[m] = {}
                for y in Y:
                    PD[m][y] = {}
                    for o, O in RS["outputs"].items():
                        col = X("x", m, "recycled", y) if o is None else X("xo", m, o, y)
                        add(PD[m][y], col, O["ap"](y))
                both = ((m, "primary") in routes and routes[(m, "primary")]["T"] == 1.0
                        and RS["T"] == 1.0)
                if both:
                    for y in Y:
                        add_expr(OT[y], PD[m][y], -1.0)
                    for O in RS["outputs"].values():
                        if O["has_ap"] and O["obase"] != 0.0:
                            OT0 -= O["ap"](y0) * O["obase"]
        if "shared_capacity" in md:
            sd = md["shared_capacity"]
            for y in Y:
                sb = per_year(sd.get("max_build_mt_per_year"), "sbmax")
                if sb is not None and sb(y) > 0:
                    bs = lp.var(("bs", m, y), 0.0, sb(y))
                    add(cost, bs, disc[y] * PerYear(sd["investment_cny_per_t"], "sinv")(y))

        # ---------------- stages ----------------
        st_list = []
        for sd in md.get("stages", []) or []:
            G = {
                "name": sd["name"],
                "cont": float(sd.get("metal_content", 1.0)),
                "base": float(sd.get("base_output_mt", 0.0)),
                "cap": PerYear(sd["capacity_mt"], f"{m}.stage.capacity"),
                "bmax": per_year(sd.get("max_build_mt_per_year"), "gbmax"),
                "inv": per_year(sd.get("investment_cny_per_t"), "ginv"),
                "opc": PerYear(sd["operating_cost_cny_per_t"], "gopc"),
                "va": per_year(sd.get("value_added_cny_per_t"), "gva", 0.0),
                "co2": per_year(sd.get("co2_t_per_t"), "gco2", 0.0),
                "mwh": per_year(sd.get("electricity_mwh_per_t"), f"{m}.{sd['name']}.electricity"),
                "inputs": {
                    h: PerYear(v, f"{m}.{sd['name']}.input_t_per_t.{h}")
                    for h, v in (sd.get("input_t_per_t") or {}).items()
                },
            }
            st_list.append(G)
            V0 += G["va"](y0) * G["base"]
        stages[m] = st_list
        for G in st_list:
            h = G["name"]
            for y in Y:
                g = lp.var(("g", m, h, y))
                add(cost, g, disc[y] * G["opc"](y))
                add(V[y], g, G["va"](y))
                add(E[y], g, G["co2"](y))
                if G["bmax"] is not None and G["bmax"](y) > 0:
                    gb = lp.var(("gb", m, h, y), 0.0, G["bmax"](y))
                    add(cost, gb, disc[y] * G["inv"](y))
        # power: pw[e,m,p,y] for p in W(m) (routes with electricity_mwh_per_t, then stages)
        W[m] = [(r, routes[(m, r)]["mwh"], ("x", m, r)) for r in ROUTES
                if (m, r) in routes and routes[(m, r)]["mwh"] is not None]
        W[m] += [(G["name"], G["mwh"], ("g", m, G["name"])) for G in st_list
                 if G["mwh"] is not None]
        if W[m] and not sources:
            raise ModelError(f"{m}: electricity_mwh_per_t without [electricity] sources")
        for p_, _, _ in W[m]:
            for y in Y:
                for e, Sd in sources.items():
                    pw = lp.var(("pw", e, m, p_, y))
                    add(cost, pw, disc[y] * Sd["price"](y))
                    add(E[y], pw, Sd["co2"](y))
        # stage uses: u[m,h,p,y] for h in In(p), p a stage or a route
        for G in st_list:
            for h in G["inputs"]:
                for y in Y:
                    lp.var(("u", m, h, G["name"], y))
        for r in ROUTES:
            if (m, r) in routes:
                for h in routes[(m, r)]["inputs"]:
                    for y in Y:
                        lp.var(("u", m, h, r, y))

        # ---------------- trade ----------------
        cont = {G["name"]: G["cont"] for G in st_list}
        cont["refined"] = 1.0
        for td in md.get("trade", []) or []:
            k = td["material"]
            for y in Y:
                if td.get("import_max_mt") is not None:
                    imax = PerYear(td["import_max_mt"], "imax")(y)
                    imin = per_year(td.get("import_min_mt"), "imin", 0.0)(y)
                    im = lp.var(("im", m, k, y), imin, imax)
                    add(cost, im, disc[y] * PerYear(td["import_price_cny_per_t"], "ip")(y))
                    add(imps, im, cont[k])
                if td.get("export_max_mt") is not None:
                    emax_ = PerYear(td["export_max_mt"], "emax")(y)
                    emin_ = per_year(td.get("export_min_mt"), "emin", 0.0)(y)
                    ex = lp.var(("ex", m, k, y), emin_, emax_)
                    add(wtp, ex, disc[y] * PerYear(td["export_price_cny_per_t"], "ep")(y))

        # ---------------- demand ----------------
        dd = md.get("demand")
        if dd is not None:
            for y in Y:
                lp.var(("c", m, y))
            blocks = dd.get("blocks") or []
            if welfare and blocks:
                for bi, bl in enumerate(blocks):
                    for y in Y:
                        q = lp.var(("q", m, bi, y), 0.0, PerYear(bl["quantity_mt"], "Q")(y))
                        add(wtp, q, disc[y] * PerYear(bl["price_cny_per_t"], "P")(y))
            stock = dd.get("stock")
            if stock is not None:
                smin = per_year(stock.get("min_mt"), "smin", 0.0)
                smax = per_year(stock.get("max_mt"), "smax", INF)
                sh = per_year(stock.get("holding_cost_cny_per_t"), "sh", 0.0)
                for y in Y:
                    s_ = lp.var(("st", m, y), smin(y), smax(y))
                    add(cost, s_, disc[y] * sh(y))

    # ---------------- facilities (columns) ----------------
    for fk in facilities:
        Yk = [y for y in Y if fk["first"] <= y <= fk["last"]]
        fk["years"] = Yk
        rd = routes[(fk["metal"], fk["route"])]
        for y in Yk:
            z = lp.var(("z", fk["id"], y))
            add(cost, z, disc[y] * fk["opc"])
            if fk["bmax"] > 0:
                zb = lp.var(("zb", fk["id"], y), 0.0, fk["bmax"])
                add(cost, zb, disc[y] * fk["inv"])

    # ---------------- plugin columns ----------------
    plugins = plugins or []
    # (plugin variables are refused in parse_inspect: none of the shipped plugins declares any)

    # ================= rows =================
    for m in names:
        md = M[m]
        for r in ROUTES:
            if (m, r) not in routes:
                continue
            R = routes[(m, r)]
            has_products = r == "recycled" and bool(R["products"])
            for y in Y:
                # M1 feed balance: (1 - A) x - recovered feed - stage inputs - grades = 0.
                # A recycled route with products has none (M34 takes its place).
                if not has_products:
                    A = additions_total(R["outputs"][None], y) if r == "recycled" else 0.0
                    t = {X("x", m, r, y): 1.0 - A}
                    for s, F in R["feed"].items():
                        add(t, X("f", m, s, y), -F["rec"])
                    for h, kk in R["inputs"].items():
                        add(t, X("u", m, h, r, y), -1.0 / kk(y))
                    if r == "recycled":
                        for gname, Gd in R["grades"].items():
                            add(t, X("ug", m, gname, None, y), -Gd["rec"])
                    lp.row(f"feed_balance[{m},{r},{y}]", t, "=", 0.0)
                # M2 feed availability
                for s, F in R["feed"].items():
                    lp.row(f"feed_available[{m},{s},{y}]", {X("f", m, s, y): 1.0}, "<=",
                           F["avail"](y))
                # M3 route capacity
                t = {X("x", m, r, y): 1.0}
                for tt in Y:
                    if tt <= y and lp.has(("b", m, r, tt)):
                        add(t, X("b", m, r, tt), -1.0)
                lp.row(f"capacity[{m},{r},{y}]", t, "<=", R["cap"](y))
        # M30, M34-M36 (and the products' output_min_mt) for a recycled route
        if (m, "recycled") in routes:
            RS = routes[(m, "recycled")]
            for y in Y:
                if RS["products"]:
                    # M34 product_total and product_balance
                    t = {X("x", m, "recycled", y): 1.0}
                    for o in RS["outputs"]:
                        add(t, X("xo", m, o, y), -1.0)
                    lp.row(f"product_total[{m},{y}]", t, "=", 0.0)
                    for o, O in RS["outputs"].items():
                        t = {X("xo", m, o, y): 1.0 - additions_total(O, y)}
                        for gname, Gd in RS["grades"].items():
                            add(t, X("ug", m, gname, o, y), -Gd["rec"])
                        lp.row(f"product_balance[{m},{o},{y}]", t, "=", 0.0)
                # M35 grade availability
                for gname, Gd in RS["grades"].items():
                    t = {X("ug", m, gname, o, y): 1.0 for o in RS["outputs"]}
                    lp.row(f"grade_available[{m},{gname},{y}]", t, "<=", Gd["avail"](y))
                # M36 grade share, for the grades and years a product lists
                for o, O in RS["outputs"].items():
                    if o is None:
                        continue
                    for gname, sg in O["sgmax"].items():
                        if not sg.has(y):
                            continue
                        t = {X("ug", m, gname, o, y): RS["grades"][gname]["rec"]}
                        add(t, X("xo", m, o, y), -sg(y))
                        lp.row(f"grade_share_max[{m},{o},{gname},{y}]", t, "<=", 0.0)
                # A product's output_min_mt (docs/scenario.md; no row in docs/model.md):
                # assumed a hard floor xo >= omin for the years it covers, like M6.
                for o, O in RS["outputs"].items():
                    if o is not None and O["omin"] is not None and y in O["omin"].years(Y):
                        lp.row(f"product_output_min[{m},{o},{y}]", {X("xo", m, o, y): 1.0},
                               ">=", O["omin"](y))
                # M30 primary input, for a metal without demand
                if PD[m] is not None and md.get("demand") is None:
                    if (m, "primary") not in routes:
                        raise ModelError(f"{m}: primary input needs a primary route or demand")
                    t = {X("x", m, "primary", y): 1.0}
                    add_expr(t, PD[m][y], -1.0)
                    lp.row(f"primary_input[{m},{y}]", t, ">=", 0.0)
        # M4 shared capacity
        if "shared_capacity" in md:
            scap = PerYear(md["shared_capacity"]["capacity_mt"], "scap")
            for y in Y:
                t = {}
                for r in ROUTES:
                    if (m, r) in routes:
                        add(t, X("x", m, r, y), 1.0)
                for tt in Y:
                    if tt <= y and lp.has(("bs", m, tt)):
                        add(t, X("bs", m, tt), -1.0)
                lp.row(f"shared_capacity[{m},{y}]", t, "<=", scap(y))
        # M6, M7 market bounds
        for key, sense, label in (("output_min_mt", ">=", "metal_output_min"),
                                  ("output_max_mt", "<=", "metal_output_max")):
            if md.get(key) is None:
                continue
            pv = PerYear(md[key], key)
            for y in pv.years(Y):
                t = {}
                for r in ROUTES:
                    if (m, r) in routes:
                        add(t, X("x", m, r, y), 1.0)
                lp.row(f"{label}[{m},{y}]", t, sense, pv(y))

        # M23-M28 stages, trade and demand
        st_list = stages[m]
        for G in st_list:
            h = G["name"]
            for y in Y:
                if G["inputs"]:  # M23
                    t = {X("g", m, h, y): 1.0}
                    for j, kk in G["inputs"].items():
                        add(t, X("u", m, j, h, y), -1.0 / kk(y))
                    lp.row(f"stage_input[{m},{h},{y}]", t, "=", 0.0)
                # M24
                t = {X("g", m, h, y): 1.0}
                for tt in Y:
                    if tt <= y and lp.has(("gb", m, h, tt)):
                        add(t, X("gb", m, h, tt), -1.0)
                lp.row(f"stage_capacity[{m},{h},{y}]", t, "<=", G["cap"](y))
                # M25
                t = {X("g", m, h, y): 1.0}
                if lp.has(("im", m, h, y)):
                    add(t, X("im", m, h, y), 1.0)
                if lp.has(("ex", m, h, y)):
                    add(t, X("ex", m, h, y), -1.0)
                users = [G2["name"] for G2 in st_list if h in G2["inputs"]]
                users += [r for r in ROUTES if (m, r) in routes and h in routes[(m, r)]["inputs"]]
                for p in users:
                    add(t, X("u", m, h, p, y), -1.0)
                lp.row(f"market[{m},{h},{y}]", t, "=", 0.0)
        dd = md.get("demand")
        if dd is not None:
            stock = dd.get("stock")
            blocks = dd.get("blocks") or []
            for y in Y:
                # M26
                t = {}
                for r in ROUTES:
                    if (m, r) in routes:
                        add(t, X("x", m, r, y), 1.0)
                if PD[m] is not None:  # supply less the primary metal drawn (M30)
                    add_expr(t, PD[m][y], -1.0)
                if lp.has(("im", m, "refined", y)):
                    add(t, X("im", m, "refined", y), 1.0)
                if lp.has(("ex", m, "refined", y)):
                    add(t, X("ex", m, "refined", y), -1.0)
                add(t, X("c", m, y), -1.0)
                rhs = 0.0
                if stock is not None:
                    add(t, X("st", m, y), -1.0)
                    if y == Y[0]:
                        rhs = -float(stock["initial_mt"])
                    else:
                        add(t, X("st", m, prev[y]), 1.0)
                lp.row(f"market[{m},refined,{y}]", t, "=", rhs)
                # M27
                if welfare and blocks:
                    t = {X("c", m, y): 1.0}
                    for bi in range(len(blocks)):
                        add(t, X("q", m, bi, y), -1.0)
                    lp.row(f"demand[{m},{y}]", t, "=", 0.0)
                else:
                    if dd.get("consumption_mt") is not None:
                        dref = PerYear(dd["consumption_mt"], "D")(y)
                    else:
                        dref = sum(PerYear(b["quantity_mt"], "Q")(y) for b in blocks)
                    lp.row(f"demand[{m},{y}]", {X("c", m, y): 1.0}, "=", dref)

        # M31 power balance
        for p_, mwh, key in W[m]:
            for y in Y:
                t = {X("pw", e, m, p_, y): 1.0 for e in sources}
                add(t, X(*key, y), -mwh(y))
                lp.row(f"power_balance[{m},{p_},{y}]", t, "=", 0.0)

    # M32 source availability, year by year, source by source
    if any(W[m] for m in names):
        for y in Y:
            for e, Sd in sources.items():
                t = {X("pw", e, m, p_, y): 1.0 for m in names for p_, _, _ in W[m]}
                lp.row(f"power_available[{e},{y}]", t, "<=", Sd["avail"](y))

    # ---------------- targets M8-M13 (with M19 shortfalls) ----------------
    targets = sc.get("targets") or {}
    va_weight = 1.0
    if base_total > 0 and base_va_weight_num > 0:
        va_weight = 1.0 / (base_va_weight_num / base_total)

    def target_row(name, terms, sense, rhs, weight=1.0):
        if soft_targets:
            s = lp.var(("shortfall", name))
            terms = dict(terms)
            add(terms, s, 1.0 if sense == ">=" else -1.0)
            add(soft, s, weight)
        lp.row(name, terms, sense, rhs)

    if targets.get("recycled_output_min_mt") is not None:
        pv = PerYear(targets["recycled_output_min_mt"], "rmin")
        for y in pv.years(Y):
            target_row(f"recycled_output_min[{y}]", RT[y], ">=", pv(y))
    for key, sense in (("output_growth_min", ">="), ("output_growth_max", "<=")):
        if targets.get(key) is None:
            continue
        pv = PerYear(targets[key], key)
        for y in pv.years(Y):
            t = dict(OT[y])
            if y == Y[0]:
                rhs = (1.0 + pv(y)) * OT0
            else:
                add_expr(t, OT[prev[y]], -(1.0 + pv(y)))
                rhs = 0.0
            target_row(f"{key}[{y}]", t, sense, rhs)
    if targets.get("value_added_growth_min") is not None:
        pv = PerYear(targets["value_added_growth_min"], "vmin")
        for y in pv.years(Y):
            t = dict(V[y])
            if y == Y[0]:
                rhs = (1.0 + pv(y)) * V0
            else:
                add_expr(t, V[prev[y]], -(1.0 + pv(y)))
                rhs = 0.0
            target_row(f"value_added_growth_min[{y}]", t, ">=", rhs, weight=va_weight)

    def dep_parts(m, definition, y):
        """(numerator, whole) of an import-dependence definition, as expressions."""
        num, whole = {}, {}
        feeds = [(s, F) for r in ROUTES if (m, r) in routes
                 for s, F in routes[(m, r)]["feed"].items()]
        # scrap grades are feed of the recycled route: u[m,g,o,y] for every output o
        grade_cols = []
        if (m, "recycled") in routes:
            RS = routes[(m, "recycled")]
            grade_cols = [(X("ug", m, gname, o, y), Gd["imported"])
                          for gname, Gd in RS["grades"].items() for o in RS["outputs"]]
        if definition == "feed":
            for s, _ in feeds:
                if s in IMPORTED:
                    add(num, X("f", m, s, y), 1.0)
                add(whole, X("f", m, s, y), 1.0)
            for j, imported in grade_cols:
                if imported:
                    add(num, j, 1.0)
                add(whole, j, 1.0)
        elif definition == "net_imports_over_consumption":
            for j, imported in grade_cols:
                if imported:
                    add(num, j, 1.0)
            for s, _ in feeds:
                if s in IMPORTED:
                    add(num, X("f", m, s, y), 1.0)
            cont = {G["name"]: G["cont"] for G in stages[m]}
            cont["refined"] = 1.0
            for k, ck in cont.items():
                if lp.has(("im", m, k, y)):
                    add(num, X("im", m, k, y), ck)
                if lp.has(("ex", m, k, y)):
                    add(num, X("ex", m, k, y), -ck)
            add(whole, X("c", m, y), 1.0)
        elif definition == "raw_material":
            for s, _ in feeds:
                if s == "imported_concentrate":
                    add(num, X("f", m, s, y), 1.0)
                if s in ("domestic_ore", "imported_concentrate"):
                    add(whole, X("f", m, s, y), 1.0)
            for G in stages[m]:
                if G["inputs"]:
                    continue
                h, ck = G["name"], G["cont"]
                add(whole, X("g", m, h, y), ck)
                if lp.has(("im", m, h, y)):
                    add(num, X("im", m, h, y), ck)
                    add(whole, X("im", m, h, y), ck)
                if lp.has(("ex", m, h, y)):
                    add(whole, X("ex", m, h, y), -ck)
        else:
            raise ModelError(f"unknown import-dependence definition {definition}")
        return num, whole

    for m, raw in (targets.get("import_dependence_max") or {}).items():
        pv = PerYear(raw, f"dmax.{m}")
        for y in pv.years(Y):
            num, whole = dep_parts(m, "feed", y)
            t = dict(num)
            add_expr(t, whole, -pv(y))
            target_row(f"import_dependence_max[{m},{y}]", t, "<=", 0.0)
    if targets.get("co2_max_mt") is not None:
        pv = PerYear(targets["co2_max_mt"], "emax")
        for y in pv.years(Y):
            target_row(f"co2_max[{y}]", E[y], "<=", pv(y))
    for entry in targets.get("import_dependence") or []:
        m, definition = entry["metal"], entry["definition"]
        pv = PerYear(entry["max"], "dmax")
        for y in pv.years(Y):
            num, whole = dep_parts(m, definition, y)
            t = dict(num)
            add_expr(t, whole, -pv(y))
            target_row(f"import_dependence_max[{m},{definition},{y}]", t, "<=", 0.0)

    # M33 clean-electricity floors, last of the targets (shortfall in TWh, weight 1)
    for entry in targets.get("clean_electricity") or []:
        m, p_ = entry["metal"], entry["process"]
        pv = PerYear(entry["min"], "cmin")
        for y in pv.years(Y):
            t = {X("pw", e, m, p_, y): (1.0 if Sd["clean"] else 0.0) - pv(y)
                 for e, Sd in sources.items()}
            target_row(f"clean_electricity_min[{m},{p_},{y}]", t, ">=", 0.0)

    # ---------------- plugin rows (M18) ----------------
    def plugin_var(ref: dict):
        (kind, v), = ref.items()
        if kind == "output":
            return X("x", v["metal"], v["route"], int(v["year"]))
        if kind == "feed":
            return X("f", v["metal"], v["source"], int(v["year"]))
        if kind == "build":
            return X("b", v["metal"], v["route"], int(v["year"]))
        if kind == "stage_output":
            # Not among M18's variables (docs/model.md lists x, f, b and own p[k]); read as the
            # model's stage_output[metal,stage,year], i.e. g[m,h,y].
            return X("g", v["metal"], v["stage"], int(v["year"]))
        raise ModelError(f"plugin variable kind {kind} not supported")

    for pl in plugins:
        for c in pl["constraints"]:
            t = {}
            for coef, ref in c["terms"]:
                add(t, plugin_var(ref), coef)
            lp.row(c["name"], t, c["sense"], c["rhs"])

    # ---------------- scenario constraints (M20) ----------------
    def select(term: dict, y: int) -> dict:
        kind = term.get("variable", "output")
        yt = int(term["year"]) if term.get("year") is not None else y
        coef = float(term.get("coefficient", 1.0))
        ms = as_list(term.get("metal")) or names
        rs = as_list(term.get("route")) or ROUTES
        out = {}
        for m in ms:
            for r in rs:
                if (m, r) not in routes:
                    continue
                if kind == "output":
                    add(out, X("x", m, r, yt), coef)
                elif kind == "build":
                    if lp.has(("b", m, r, yt)):
                        add(out, X("b", m, r, yt), coef)
                elif kind == "feed":
                    srcs = as_list(term.get("source")) or list(routes[(m, r)]["feed"])
                    for s in srcs:
                        if s in routes[(m, r)]["feed"]:
                            add(out, X("f", m, s, yt), coef)
                else:
                    raise ModelError(f"unknown variable {kind}")
        return out

    for rule in sc.get("constraints") or []:
        name = rule["name"]
        sense = rule["sense"]
        for y in constraint_years(rule, Y):
            t = {}
            for term in rule["terms"]:
                add_expr(t, select(term, y))
            if "share" in rule:
                share = PerYear(rule["share"], "share")(y)
                for term in rule["of"]:
                    add_expr(t, select(term, y), -share)
                rhs = 0.0
            else:
                rhs = PerYear(rule["rhs"], "rhs")(y)
            if soft_targets and sense != "=":
                target_row(f"user[{name},{y}]", t, sense, rhs)
            else:
                lp.row(f"user[{name},{y}]", t, sense, rhs)

    # ---------------- facilities (rows M21, M22) ----------------
    for fk in facilities:
        for y in fk["years"]:
            t = {X("z", fk["id"], y): 1.0}
            for tt in fk["years"]:
                if tt <= y and lp.has(("zb", fk["id"], tt)):
                    add(t, X("zb", fk["id"], tt), -1.0)
            lp.row(f"facility_capacity[{fk['id']},{y}]", t, "<=", fk["capacity"])
    split = {}
    for fk in facilities:
        split.setdefault((fk["metal"], fk["route"]), []).append(fk)
    for (m, r), fks in split.items():
        for y in Y:
            t = {X("x", m, r, y): 1.0}
            for fk in fks:
                if y in fk["years"]:
                    add(t, X("z", fk["id"], y), -1.0)
            lp.row(f"facility_total[{m},{r},{y}]", t, "=", 0.0)

    # ---------------- objectives ----------------
    for y in Y:
        add_expr(emis, E[y])
        add_expr(va, V[y])
    welfare_expr = dict(wtp)
    add_expr(welfare_expr, cost, -1.0)

    return Model(lp, cost, emis, imps, va, welfare_expr, soft,
                 {"OT0": OT0, "V0": V0, "years": Y})


# --------------------------------------------------------------------------------------------
# Solving
# --------------------------------------------------------------------------------------------


_QUIET = False


def _new_highs():
    """A Highs instance; the first one prints a banner on stdout, which is silenced."""
    global _QUIET
    if _QUIET:
        return highspy.Highs()
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    try:
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
    finally:
        os.dup2(saved, 1)
        os.close(devnull)
        os.close(saved)
    _QUIET = True
    return h


def solve_lp(lp: LP, obj: dict, maximise: bool, extra_rows=()):
    """Solves min (or max) obj over lp plus extra rows [(terms, lo, hi)]. Returns (value, x)."""
    n = len(lp.names)
    h = _new_highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("parallel", "off")
    model = highspy.HighsLp()
    model.num_col_ = n
    rows = list(lp.row_terms) + [r[0] for r in extra_rows]
    lo = list(lp.row_lo) + [r[1] for r in extra_rows]
    hi = list(lp.row_hi) + [r[2] for r in extra_rows]
    model.num_row_ = len(rows)
    c = np.zeros(n)
    for j, v in obj.items():
        c[j] += v
    model.col_cost_ = c
    model.col_lower_ = np.array(lp.lb, dtype=float)
    model.col_upper_ = np.array([u if u != INF else highspy.kHighsInf for u in lp.ub])
    model.row_lower_ = np.array([v if v != -INF else -highspy.kHighsInf for v in lo])
    model.row_upper_ = np.array([v if v != INF else highspy.kHighsInf for v in hi])
    start, index, value = [0], [], []
    for terms in rows:
        for j, v in sorted(terms.items()):
            index.append(j)
            value.append(v)
        start.append(len(index))
    model.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    model.a_matrix_.start_ = np.array(start, dtype=np.int32)
    model.a_matrix_.index_ = np.array(index, dtype=np.int32)
    model.a_matrix_.value_ = np.array(value, dtype=float)
    model.a_matrix_.num_col_ = n
    model.a_matrix_.num_row_ = len(rows)
    model.sense_ = highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize
    h.passModel(model)
    h.run()
    status = h.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        raise ModelError(f"solver status {h.modelStatusToString(status)}")
    x = list(h.getSolution().col_value)
    return evaluate(obj, x), x


SNAP = 1e-9
# docs/results.md "Values near a bound" says "every decision variable" and lists output, feed,
# builds, shared builds, facility output, stage output and use, imports, exports, consumption,
# demand blocks, stocks and plugin variables. Its list does not name grade use, product output
# or power; grades.toml's imports objective shows that grade use is snapped (metalplan reports
# 0 where the cheapest plan in the band draws 1e-9 Mt of the imported grade), and product
# output and power are taken to be snapped as well ("every decision variable").
SNAPPED_KINDS = {"x", "f", "b", "bs", "z", "zb", "g", "gb", "u", "im", "ex", "c", "q", "st",
                 "p", "ug", "xo", "pw"}


def snap(lp: LP, x: list) -> list:
    """docs/results.md "Values near a bound": decision variables within 1e-9 of a bound are
    reported as that bound (shortfalls are not decision variables and are left as solved)."""
    out = list(x)
    for j, key in enumerate(lp.names):
        if key[0] not in SNAPPED_KINDS:
            continue
        if abs(out[j] - lp.lb[j]) <= SNAP:
            out[j] = lp.lb[j]
        elif lp.ub[j] != INF and abs(out[j] - lp.ub[j]) <= SNAP:
            out[j] = lp.ub[j]
    return out


def band_row(expr: dict, zstar: float, maximise: bool):
    slack = BAND_REL * abs(zstar) + BAND_ABS
    if maximise:
        return (expr, zstar - slack, INF)
    return (expr, -INF, zstar + slack)


def solve(model: Model, objective: str, tie_break: bool = True) -> dict:
    """Solves as docs/model.md "Ties" and "Soft targets" describe. Values in internal units."""
    exprs = {
        "cost": (model.cost, False),
        "emissions": (model.emissions, False),
        "imports": (model.imports, False),
        "value_added": (model.value_added, True),
        "welfare": (model.welfare, True),
    }
    expr, maximise = exprs[objective]
    extra = []
    shortfall = None
    if model.soft:
        shortfall, _ = solve_lp(model.lp, model.soft, False)
        extra.append(band_row(model.soft, shortfall, False))
    zstar, x = solve_lp(model.lp, expr, maximise, extra)
    final = zstar
    if objective in ("emissions", "imports", "value_added") and tie_break:
        extra.append(band_row(expr, zstar, maximise))
        _, x = solve_lp(model.lp, model.cost, False, extra)
        # The reported objective is the chosen objective at the reported (snapped) plan.
        x = snap(model.lp, x)
        final = evaluate(expr, x)
    return {"optimum": zstar, "reported": final, "shortfall": shortfall,
            "cost": evaluate(model.cost, x), "x": x}


UNIT = {"cost": "CNY", "emissions": "t CO2", "imports": "t", "value_added": "CNY",
        "welfare": "CNY"}


def run(scenario: Path, objective: str = "cost", soft_targets: bool = False,
        tie_break: bool = True, binary: Path = DEFAULT_BINARY) -> dict:
    """Builds and solves; returns the objective in the unit metalplan reports."""
    scenario = Path(scenario)
    sc = load_scenario(scenario)
    plugins = plugin_rows(sc, scenario, Path(binary))
    model = build_model(sc, scenario, objective, soft_targets, plugins)
    res = solve(model, objective, tie_break)
    # Internal units are Mt, million CNY and Mt CO2: all three scale by 1e6 to t, CNY, t CO2.
    return {
        "objective_kind": objective,
        "objective": res["reported"] * 1e6,
        "optimum": res["optimum"] * 1e6,
        "objective_unit": UNIT[objective],
        "cost_cny": res["cost"] * 1e6,
        "columns": len(model.lp.names),
        "rows": len(model.lp.row_names),
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("scenario", type=Path)
    ap.add_argument("--objective", default="cost",
                    choices=OBJECTIVES + ["value-added"])
    ap.add_argument("--soft-targets", action="store_true")
    ap.add_argument("--no-tie-break", action="store_true",
                    help="report the first stage's optimum z* instead of the objective at the "
                         "cheapest plan within the band")
    ap.add_argument("--metalplan", type=Path, default=DEFAULT_BINARY,
                    help="binary used only for `plugins inspect` (M18 rows)")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    objective = a.objective.replace("-", "_")
    try:
        res = run(a.scenario, objective, a.soft_targets, not a.no_tie_break, a.metalplan)
    except ModelError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    if a.json:
        print(json.dumps(res))
    else:
        print(f"objective ({objective}): {res['objective']!r} {res['objective_unit']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
