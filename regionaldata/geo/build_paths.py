"""One-off converter: Natural Earth 110m TopoJSON (npm `world-atlas` 2.0.2) to SVG paths keyed by ISO alpha-3.

Run: python regionaldata/geo/build_paths.py countries-110m.json data/country-codes/iso3166-1.csv
The output `countries-110m.paths.json` is committed; nothing is fetched at run time.
"""

import csv
import json
import sys
from pathlib import Path

WIDTH, HEIGHT = 960.0, 480.0  # equirectangular: 360 x 180 degrees


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    scale_x, scale_y = topology["transform"]["scale"]
    move_x, move_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale_x + move_x, y * scale_y + move_y))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def project(lon: float, lat: float) -> tuple[float, float]:
    return round((lon + 180.0) * WIDTH / 360.0, 1), round((90.0 - lat) * HEIGHT / 180.0, 1)


def path_of(geometry: dict, arcs) -> str:
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    parts = []
    for polygon in polygons:
        for ring in polygon:
            points = [project(lon, lat) for lon, lat in ring_points(ring, arcs)]
            if len(points) < 3:
                continue
            head, *tail = points
            parts.append(f"M{head[0]},{head[1]}" + "".join(f"L{x},{y}" for x, y in tail) + "Z")
    return "".join(parts)


def main(topo_path: str, iso_csv: str) -> None:
    topology = json.loads(Path(topo_path).read_text())
    arcs = decode_arcs(topology)
    with open(iso_csv, encoding="utf-8") as handle:
        numeric_to_alpha3 = {row["numeric"]: row["alpha_3"] for row in csv.DictReader(handle)}
    shapes = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        alpha3 = numeric_to_alpha3.get(str(geometry.get("id", "")))
        if not alpha3 or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        shapes[alpha3] = {"name": geometry["properties"]["name"], "d": path_of(geometry, arcs)}
    out = Path(__file__).with_name("countries-110m.paths.json")
    out.write_text(json.dumps({"width": WIDTH, "height": HEIGHT, "countries": shapes}, separators=(",", ":")))
    print(f"{len(shapes)} countries -> {out}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
