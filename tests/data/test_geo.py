"""Area geometries: the real Amsterdam layers, the registry, and bad input."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pytest
import shapely
from shapely import box

from kansenaudit.data.geo import (
    DIVISION_2015,
    DIVISION_2022,
    RD_NEW,
    AreaGeometry,
    AreaRegistry,
    read_area_geometries,
    reproject_geometries,
    to_geojson_geometry,
)
from kansenaudit.data.tidy import SourceFormatError

BUURT_2022 = "geo/amsterdam_indeling_buurt_2022_wgs84.geojson"
GEBIED_2022 = "geo/amsterdam_indeling_gebied_2022_wgs84.geojson"
API_2024 = "geo/amsterdam_buurten_api_2024_rd28992.geojson"
OLD_BUURTEN = "geo/amsterdam_GEBIED_BUURTEN_oldcodes_wkt.csv"
OLD_STADSDELEN = "geo/amsterdam_GEBIED_STADSDELEN_wkt.csv"

# The four buurten the municipality redrew on 25 October 2023 (volgnummer 2 in the API export).
REVISED_2023 = {"SA01", "SA02", "TK02", "TK03"}


@pytest.fixture(scope="module")
def layers(shared_data):
    """Every real layer, parsed once for the module."""
    return {
        name: read_area_geometries(shared_data / path)
        for name, path in {
            "buurt22": BUURT_2022,
            "gebied22": GEBIED_2022,
            "api": API_2024,
            "old": OLD_BUURTEN,
            "stadsdelen": OLD_STADSDELEN,
        }.items()
    }


@pytest.fixture(scope="module")
def registry22(layers):
    """The 2022 buurten with wijken, gebieden and stadsdelen dissolved from them."""
    registry = AreaRegistry(layers["buurt22"].areas)
    buurten = registry.level(DIVISION_2022, "buurt")
    registry.extend(registry.dissolve(buurten, by="parent", level="wijk"))
    registry.extend(registry.dissolve(buurten, by="gebied"))
    registry.extend(registry.dissolve(buurten, by="stadsdeel"))
    return registry


def by_code(result):
    return {a.code: a for a in result.areas}


# ---------------------------------------------------------------------------- real files


def test_both_2022_buurt_files_hold_the_same_518_buurten(layers):
    wgs, rd = layers["buurt22"], layers["api"]
    assert len(wgs.areas) == len(rd.areas) == 518
    assert set(by_code(wgs)) == set(by_code(rd))
    assert wgs.issues == []
    assert rd.issues == []
    assert wgs.meta["layer"] == "INDELING_BUURT"
    assert (wgs.meta["crs_in"], wgs.meta["crs_source"]) == ("EPSG:4326", "inferred")
    assert (rd.meta["crs_in"], rd.meta["crs_source"]) == ("EPSG:28992", "declared")
    assert rd.meta["layer"].startswith("api.data.amsterdam.nl")
    assert len(wgs.meta["sha256"]) == 64
    assert wgs.meta["features"] == 518
    assert {a.level for a in wgs.areas} == {a.level for a in rd.areas} == {"buurt"}
    assert {a.division for a in wgs.areas} == {a.division for a in rd.areas} == {DIVISION_2022}


def test_wgs84_is_reprojected_into_amsterdams_rd_range(layers):
    for name in ("buurt22", "gebied22", "old", "stadsdelen", "api"):
        minx, miny, maxx, maxy = shapely.total_bounds([a.geometry for a in layers[name].areas])
        # The gebied layer leaves out Westpoort (no gebied), so its west edge lies further east.
        west = (111_000, 113_000) if name == "gebied22" else (109_000, 111_000)
        assert west[0] < minx < west[1], name
        assert 135_000 < maxx < 137_000, name
        assert 475_000 < miny < 478_000, name
        assert 493_000 < maxy < 495_000, name
        assert layers[name].meta["crs_out"] == RD_NEW


def test_rd_file_and_wgs84_file_agree_except_the_2023_revisions(layers):
    wgs, rd = by_code(layers["buurt22"]), by_code(layers["api"])
    differing = set()
    for code, area in wgs.items():
        other = rd[code]
        ratio = other.area / area.area
        distance = other.geometry.centroid.distance(area.geometry.centroid)
        if code in REVISED_2023:
            assert other.valid_from == date(2023, 10, 25)
        else:
            assert other.valid_from == date(2022, 3, 24)
            assert abs(ratio - 1) < 0.001, code
            assert distance < 2, code  # metres
        if abs(ratio - 1) >= 0.01:
            differing.add(code)
    assert differing == REVISED_2023
    distances = [rd[c].geometry.centroid.distance(wgs[c].geometry.centroid) for c in wgs]
    assert float(np.median(distances)) < 1  # the same polygons, digitised once


def test_api_export_fields_validity_and_hierarchy(layers):
    wgs, rd = by_code(layers["buurt22"]), by_code(layers["api"])
    aa01 = rd["AA01"]
    assert (aa01.name, aa01.cbs_code, aa01.valid_to) == ("Planciusbuurt-Noord", "BU0363AA01", None)
    assert aa01.properties["identificatie"] == "03630980000019"
    for code, area in rd.items():
        # The export names the wijk by identificatie only; the code-derived parent must agree
        # with the wijk the INDELING_BUURT layer gives.
        assert area.parent_code == wgs[code].parent_code == wgs[code].hierarchy["wijk"], code
        assert area.cbs_code == wgs[code].cbs_code == "BU0363" + code


def test_indeling_buurt_hierarchy_and_westpoort(layers):
    areas = by_code(layers["buurt22"])
    ac02 = areas["AC02"]
    assert (ac02.name, ac02.parent_code, ac02.cbs_code) == ("Leliegracht e.o.", "AC", "BU0363AC02")
    assert ac02.hierarchy == {"wijk": "AC", "gebied": "GA01", "stadsdeel": "A"}
    assert ac02.hierarchy_names["gebied"] == "Centrum-West"
    westpoort = [a for a in areas.values() if "gebied" not in a.hierarchy]
    assert len(westpoort) == 14
    assert {a.hierarchy["stadsdeel"] for a in westpoort} == {"B"}


def test_gebied_layer(layers):
    gebieden = by_code(layers["gebied22"])
    assert len(gebieden) == 25
    assert gebieden["GS25"].name == "Weesp, Driemond"
    assert gebieden["GA01"].parent_code == "A"
    assert gebieden["GA01"].level == "gebied"


def test_dissolved_buurten_match_the_gebied_layer(layers, registry22):
    dissolved = {a.code: a for a in registry22.level(DIVISION_2022, "gebied")}
    published = by_code(layers["gebied22"])
    assert set(dissolved) == set(published)
    for code, area in published.items():
        derived = dissolved[code].geometry
        assert abs(derived.area / area.area - 1) < 1e-3, code
        assert derived.symmetric_difference(area.geometry).area / area.area < 1e-3, code
        assert dissolved[code].name == area.name
        assert dissolved[code].parent_code == area.parent_code


def test_dissolved_wijken_and_stadsdelen(registry22):
    wijken = registry22.level(DIVISION_2022, "wijk")
    assert len(wijken) == 110
    ac = registry22.get("AC")
    assert (ac.name, ac.parent_code, ac.cbs_code) == ("Grachtengordel-West", "GA01", "WK0363AC")
    assert ac.properties["members"] == len(registry22.children("AC"))
    # Wijk NB straddles gebieden GN18 and GN19: its nearest agreed parent is the stadsdeel.
    assert registry22.get("NB").parent_code == "N"
    stadsdelen = registry22.level(DIVISION_2022, "stadsdeel")
    assert [s.code for s in stadsdelen] == list("ABEFKMNST")
    buurten = registry22.level(DIVISION_2022, "buurt")
    total = sum(a.area for a in buurten)
    assert abs(sum(s.area for s in stadsdelen) / total - 1) < 1e-6


def test_registry_hierarchy(registry22):
    assert [(a.code, a.level) for a in registry22.ancestors("AC02")] == [
        ("AC", "wijk"),
        ("GA01", "gebied"),
        ("A", "stadsdeel"),
    ]
    assert [a.code for a in registry22.children("A")] == ["GA01", "GA02"]
    in_ga01 = registry22.children("GA01", level="buurt")
    assert len(in_ga01) == 34
    assert all(a.hierarchy["gebied"] == "GA01" for a in in_ga01)
    assert len(registry22.children("B", level="buurt")) == 14


def test_old_code_buurten(layers):
    old = layers["old"]
    areas = by_code(old)
    assert len(areas) == 500
    assert old.issues == []
    assert old.meta["wkt_column"] == "WKT_LNG_LAT"
    assert old.meta["separator"] == ";"
    a00b = areas["A00b"]
    assert (a00b.name, a00b.level, a00b.division) == ("Oude Kerk e.o.", "buurt", DIVISION_2015)
    assert a00b.hierarchy == {"wijk": "A00", "stadsdeel": "A"}
    assert a00b.cbs_code is None
    # The polygon's area agrees with the table's own Oppervlakte_m2 (no warning was raised).
    assert abs(a00b.area - float(a00b.properties["Oppervlakte_m2"])) < 50
    assert len([a for a in areas.values() if a.hierarchy["stadsdeel"] == "S"]) == 19


def test_old_stadsdelen_and_the_move_of_driemond(layers, registry22):
    published = by_code(layers["stadsdelen"])
    assert sorted(published) == list("ABEFKMNST")
    old_registry = AreaRegistry(layers["old"].areas)
    old = {a.code: a for a in old_registry.dissolve(layers["old"].areas, by="stadsdeel")}
    new = {a.code: a for a in registry22.level(DIVISION_2022, "stadsdeel")}
    for code, area in published.items():
        rel = old[code].geometry.symmetric_difference(area.geometry).area / area.area
        assert rel < 1e-3, code
        moved = new[code].geometry.symmetric_difference(area.geometry).area / area.area
        # Driemond went from Zuidoost (T) to Weesp (S) in 2022; the rest kept its borders.
        assert (moved > 0.05) == (code in {"S", "T"}), code


def test_registry_get_respects_divisions_and_validity(layers):
    registry = AreaRegistry(layers["api"].areas)
    registry.extend(layers["stadsdelen"].areas)
    assert registry.get("AA01").cbs_code == "BU0363AA01"
    assert registry.get("SA01", on=date(2024, 1, 1)).valid_from == date(2023, 10, 25)
    with pytest.raises(KeyError, match="SA01"):
        registry.get("SA01", on=date(2023, 1, 1))
    with pytest.raises(KeyError):
        registry.get("AA01", on=date(2022, 3, 23))
    assert registry.get("A").division == DIVISION_2015
    registry.add(
        AreaGeometry(
            "A", "Centrum", "stadsdeel", DIVISION_2022, None, None, None, None, box(0, 0, 1, 1)
        )
    )
    with pytest.raises(ValueError, match="divisions"):
        registry.get("A")
    assert registry.get("A", DIVISION_2022).area == 1.0
    with pytest.raises(ValueError, match="overlapping"):
        registry.extend(layers["buurt22"].areas)


def test_registry_versions():
    def version(start, end, size):
        return AreaGeometry("AA01", "", "buurt", "d", "AA", None, start, end, box(0, 0, size, 1))

    registry = AreaRegistry([version(None, date(2023, 10, 25), 1)])
    registry.add(version(date(2023, 10, 25), None, 2))
    assert len(registry) == 2
    assert registry.get("AA01").area == 2.0  # the current version
    assert registry.get("AA01", on=date(2020, 1, 1)).area == 1.0
    assert registry.get("AA01", on=date(2023, 10, 25)).area == 2.0
    with pytest.raises(ValueError, match="overlapping"):
        registry.add(version(date(2024, 1, 1), None, 3))
    registry.add(version(date(2024, 1, 1), None, 3), replace=True)
    assert registry.get("AA01").area == 3.0
    assert len(registry) == 2


def test_to_geojson_wgs84_rd_round_trip_and_simplify(registry22, tmp_path):
    collection = registry22.to_geojson("gebied", DIVISION_2022)
    assert "crs" not in collection
    assert len(collection["features"]) == 25
    coords = np.array(
        [pt for f in collection["features"] for ring in _rings(f["geometry"]) for pt in ring]
    )
    assert coords[:, 0].min() > 4.7
    assert coords[:, 0].max() < 5.2
    assert coords[:, 1].min() > 52.2
    assert coords[:, 1].max() < 52.5
    assert collection["features"][0]["properties"]["code"] == "GA01"

    rd = registry22.to_geojson("gebied", DIVISION_2022, crs=RD_NEW)
    assert rd["crs"]["properties"]["name"] == "urn:ogc:def:crs:EPSG::28992"
    path = tmp_path / "gebieden_rd.geojson"
    path.write_text(json.dumps(rd))
    back = by_code(read_area_geometries(path))
    for area in registry22.level(DIVISION_2022, "gebied"):
        copy = back[area.code]
        assert abs(copy.area / area.area - 1) < 1e-5  # coordinates rounded to cm
        assert (copy.name, copy.level, copy.division) == (area.name, "gebied", DIVISION_2022)
        assert (copy.parent_code, copy.hierarchy) == (area.parent_code, area.hierarchy)
    assert read_area_geometries(path, division="copy").areas[0].division == "copy"

    simple = registry22.to_geojson("buurt", DIVISION_2022, simplify_tolerance=5, crs=RD_NEW)
    full = registry22.to_geojson("buurt", DIVISION_2022, crs=RD_NEW)
    count = sum(len(r) for f in simple["features"] for r in _rings(f["geometry"]))
    assert count < 0.9 * sum(len(r) for f in full["features"] for r in _rings(f["geometry"]))
    geoms = [shapely.geometry.shape(f["geometry"]) for f in simple["features"]]
    assert shapely.is_valid(geoms).all()


def test_registry_areas_feed_the_svg_map(registry22):
    from kansenaudit.reporting.svgmap import MapFeature, render_choropleth_svg

    features = [
        MapFeature(a.code, a.name, to_geojson_geometry(a.geometry, decimals=1), i, str(i))
        for i, a in enumerate(registry22.level(DIVISION_2022, "gebied"))
    ]
    svg = render_choropleth_svg(features, title="Gebieden")
    assert svg.count("<path") == 25
    assert 'data-code="GA01"' in svg


def _rings(geometry):
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


# ---------------------------------------------------------------------------- small pieces

SQUARE = [[4.89, 52.37], [4.90, 52.37], [4.90, 52.38], [4.89, 52.38], [4.89, 52.37]]


def feature(code, coordinates, kind="Polygon", **extra):
    props = {"Gebiedcode": code, "Gebied": f"Gebied {code}", "Stadsdeelcode": "A", **extra}
    geometry = None if coordinates is None else {"type": kind, "coordinates": coordinates}
    return {"type": "Feature", "geometry": geometry, "properties": props}


def write(tmp_path, features, name="layer.geojson", **members):
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", **members, "features": features}))
    return path


def test_reproject_matches_a_known_point():
    # Amersfoort, the origin of RD: 155 000, 463 000.
    point = reproject_geometries([shapely.Point(5.38720621, 52.15517440)], "EPSG:4326")[0]
    assert abs(point.x - 155_000) < 1
    assert abs(point.y - 463_000) < 1


def test_invalid_json(tmp_path):
    path = tmp_path / "broken.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [')
    with pytest.raises(SourceFormatError, match=r"broken\.geojson.*not valid JSON"):
        read_area_geometries(path)


def test_not_a_feature_collection(tmp_path):
    path = tmp_path / "one.geojson"
    path.write_text(json.dumps(feature("GA01", [SQUARE])))
    with pytest.raises(SourceFormatError, match="FeatureCollection"):
        read_area_geometries(path)


def test_swapped_lon_lat_is_refused(tmp_path):
    swapped = [[[lat, lon] for lon, lat in SQUARE]]
    path = write(tmp_path, [feature("GA01", swapped)], name="swapped.geojson")
    with pytest.raises(SourceFormatError, match=r"swapped\.geojson.*latitude/longitude"):
        read_area_geometries(path)
    # Declared as WGS84, the swapped coordinates project outside the Netherlands.
    declared = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    path = write(tmp_path, [feature("GA01", swapped)], name="declared.geojson", crs=declared)
    with pytest.raises(SourceFormatError, match="outside the Netherlands"):
        read_area_geometries(path)


def test_a_third_crs_without_declaration_is_refused_and_with_one_is_reprojected(tmp_path):
    mercator = reproject_geometries([shapely.Polygon(SQUARE)], "EPSG:4326", "EPSG:3857")[0]
    ring = [list(pt) for pt in mercator.exterior.coords]
    path = write(tmp_path, [feature("GA01", [ring])], name="mercator.geojson")
    with pytest.raises(SourceFormatError, match=r"mercator\.geojson.*cannot tell the coordinate"):
        read_area_geometries(path)
    declared = {"type": "name", "properties": {"name": "EPSG:3857"}}
    path = write(tmp_path, [feature("GA01", [ring])], name="declared.geojson", crs=declared)
    result = read_area_geometries(path)
    assert result.meta["crs_in"] == "EPSG:3857"
    reference = read_area_geometries(write(tmp_path, [feature("GA01", [SQUARE])]))
    assert abs(result.areas[0].area / reference.areas[0].area - 1) < 1e-6


def test_unknown_crs_member(tmp_path):
    declared = {"type": "name", "properties": {"name": "EPSG:999999"}}
    path = write(tmp_path, [feature("GA01", [SQUARE])], crs=declared)
    with pytest.raises(SourceFormatError, match="unknown CRS"):
        read_area_geometries(path)


def test_self_intersecting_polygon_is_repaired_with_a_warning(tmp_path):
    bowtie = [[[4.89, 52.37], [4.90, 52.38], [4.90, 52.37], [4.89, 52.38], [4.89, 52.37]]]
    path = write(tmp_path, [feature("GA01", bowtie), feature("GA02", [SQUARE])])
    result = read_area_geometries(path)
    assert [a.code for a in result.areas] == ["GA01", "GA02"]
    repaired = result.areas[0].geometry
    assert repaired.is_valid
    assert repaired.geom_type == "MultiPolygon"
    assert repaired.area > 0
    (issue,) = result.issues
    assert issue.severity == "warning"
    assert issue.row == 0
    assert issue.code == "GA01"
    assert "Self-intersection" in issue.message
    assert "make_valid" in issue.message


def test_features_without_code_or_geometry_are_skipped_with_warnings(tmp_path):
    features = [
        feature("GA01", [SQUARE]),
        feature("", [SQUARE]),
        feature("GA03", None),
        feature("GA04", [4.89, 52.37], kind="Point"),
        feature("GA05", [[[4.89, 52.37]]]),
    ]
    path = write(tmp_path, features, name="gaps.geojson")
    result = read_area_geometries(path)
    assert [a.code for a in result.areas] == ["GA01"]
    assert [i.row for i in result.issues] == [1, 2, 3, 4]
    messages = [i.message for i in result.issues]
    assert messages[0] == "features[1] has no area code; skipped"
    assert "features[2] (GA03) has no geometry" in messages[1]
    assert "Point" in messages[2]
    assert "unreadable" in messages[3]
    assert all(i.file.endswith("gaps.geojson") for i in result.issues)


def test_empty_feature_collection(tmp_path):
    result = read_area_geometries(write(tmp_path, []))
    assert result.areas == []
    assert result.meta["features"] == 0
    assert [i.message for i in result.issues] == ["the layer has no features"]


def test_unknown_layer_needs_code_field_and_level(tmp_path):
    other = {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [SQUARE]}}
    other["properties"] = {"id": "X1", "label": "Iets"}
    path = write(tmp_path, [other])
    with pytest.raises(SourceFormatError, match="unknown area layer"):
        read_area_geometries(path)
    with pytest.raises(SourceFormatError, match="level"):
        read_area_geometries(path, code_field="id")
    result = read_area_geometries(path, code_field="ID", name_field="label", level="wijk")
    area = result.areas[0]
    assert (area.code, area.name, area.level, area.division) == (
        "X1",
        "Iets",
        "wijk",
        "unspecified",
    )


def test_level_must_agree_with_the_layer(tmp_path):
    path = write(tmp_path, [feature("GA01", [SQUARE])])
    with pytest.raises(SourceFormatError, match="gebied areas"):
        read_area_geometries(path, level="buurt")
    assert read_area_geometries(path, level="gebied", division="x").areas[0].division == "x"


def test_features_sharing_a_code_are_unioned(tmp_path):
    east = [[[x + 0.01, y] for x, y in SQUARE]]
    result = read_area_geometries(
        write(tmp_path, [feature("GA01", [SQUARE]), feature("GA01", east)])
    )
    (area,) = result.areas
    single = read_area_geometries(write(tmp_path, [feature("GA01", [SQUARE])], name="one.geojson"))
    assert abs(area.area / single.areas[0].area - 2) < 0.01
    assert "unioned" in result.issues[0].message


def csv_text(rows, sep=";"):
    return "\n".join(sep.join(row) for row in rows) + "\n"


def test_csv_without_wkt_column(tmp_path):
    path = tmp_path / "nogeom.csv"
    path.write_text(csv_text([["Buurtcode", "Buurtnaam"], ["A00a", "Kop Zeedijk"]]))
    with pytest.raises(SourceFormatError, match=r"nogeom\.csv.*no WKT geometry column"):
        read_area_geometries(path)


def test_csv_comma_separated_lat_lng_and_area_check(tmp_path):
    wkt = "POLYGON((" + ",".join(f"{x} {y}" for x, y in SQUARE) + "))"
    swapped = "POLYGON((" + ",".join(f"{y} {x}" for x, y in SQUARE) + "))"
    path = tmp_path / "buurten.csv"
    rows = [
        ["Buurtcode", "Buurtnaam", "Wijkcode", "Stadsdeelcode", "Oppervlakte_m2", "WKT"],
        ["A00a", "Kop Zeedijk", "A00", "A", "760000", f'"{wkt}"'],
        ["A00b", "Oude Kerk", "A00", "A", "5", f'"{wkt}"'],
        ["A00c", "Nergens", "A00", "A", "", '"POLYGON((1 2, 3"'],
    ]
    path.write_text(csv_text(rows, sep=","))
    result = read_area_geometries(path)
    assert result.meta["separator"] == ","
    assert result.meta["division"] == DIVISION_2015
    assert [a.code for a in result.areas] == ["A00a", "A00b"]
    assert [(i.row, i.code) for i in result.issues] == [(3, "A00b"), (4, "A00c")]
    assert "differs from the polygon" in result.issues[0].message

    path = tmp_path / "latlng.csv"
    rows = [["Stadsdeelcode", "Stadsdeelnaam", "WKT_LAT_LNG"], ["A", "Centrum", f'"{swapped}"']]
    path.write_text(csv_text(rows))
    result = read_area_geometries(path)
    assert result.meta["wkt_axis_order"].startswith("lat/lon")
    assert abs(result.areas[0].area / 760_000 - 1) < 0.05


def test_dissolve_refuses_mixed_divisions_and_skips_areas_without_key():
    a = AreaGeometry("A1", "", "buurt", "x", "W1", None, None, None, box(0, 0, 1, 1))
    b = AreaGeometry("B1", "", "buurt", "y", "W1", None, None, None, box(1, 0, 2, 1))
    registry = AreaRegistry()
    with pytest.raises(ValueError, match="several divisions"):
        registry.dissolve([a, b], by="parent", level="wijk")
    c = AreaGeometry("C1", "", "buurt", "x", None, None, None, None, box(2, 0, 3, 1))
    (wijk,) = registry.dissolve([a, c], by="parent", level="wijk")
    assert wijk.code == "W1"
    assert wijk.properties["dissolved_from"] == ("A1",)
    with pytest.raises(ValueError, match="level"):
        registry.dissolve([a], by="parent")
