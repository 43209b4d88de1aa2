# SPDX-License-Identifier: EUPL-1.2
"""Area geometries: reading the municipality's layers, reprojecting to RD New, and a registry.

Amsterdam publishes its area divisions (buurt, wijk, gebied, stadsdeel) as GeoJSON and as CSV
tables with WKT polygons, in WGS84 longitude/latitude or in RD New metres, with different
property names per layer and per year. :func:`read_area_geometries` reads all of them into one
form, :class:`AreaGeometry`, always in RD New (EPSG:28992), so areas and intersections are in
square metres. :class:`AreaRegistry` holds areas of several divisions and levels, with their
validity periods and hierarchy, dissolves buurten into wijken, gebieden and stadsdelen, and
writes GeoJSON for maps. :func:`to_geojson_geometry` gives the dict the SVG map renderer
(:mod:`kansenaudit.reporting.svgmap`) takes.

Layers recognised (checked against the files in the shared data folder, ``geo/``):

``INDELING_BUURT`` (maps.amsterdam.nl, 2022 division, WGS84)
    ``Buurtcode`` (``AC02``), ``Buurt``, ``CBS_Buurtcode`` (``BU0363AC02``), ``Wijkcode``,
    ``Wijk``, ``Gebiedcode`` (``GA01``; empty for Westpoort), ``Gebied``, ``Stadsdeelcode``,
    ``Stadsdeel``. Division ``amsterdam-2022``.
``INDELING_WIJK``, ``INDELING_GEBIED``, ``INDELING_STADSDEEL``
    The same family one level up (``Gebiedcode``/``Gebied``/``Stadsdeelcode``/``Stadsdeel``).
``api.data.amsterdam.nl`` ``gebieden/*`` export
    ``identificatie``, ``code`` (``AA01``), ``naam``, ``cbs_code``, ``begin_geldigheid``,
    ``eind_geldigheid``, ``volgnummer``, ``ligt_in_wijk_identificatie``, ... Usually in RD New
    with a legacy ``crs`` member. The wijk is named only by its ``identificatie``, so the
    hierarchy is taken from the code itself (buurt ``AA01`` lies in wijk ``AA`` and stadsdeel
    ``A``). Division ``amsterdam-2022``.
``GEBIED_BUURTEN`` (the pre-2022 open geodata table, CSV with WKT)
    ``Buurtcode`` (``A00b``; Weesp ``SAA1``), ``Buurtnaam``, ``Wijkcode`` (``A00``),
    ``Stadsdeelcode``, ``Oppervlakte_m2``, ``BuurtID``, ``WKT_LNG_LAT`` and ``WKT_LAT_LNG``.
    Division ``amsterdam-2015``.
``GEBIED_STADSDELEN``
    ``Stadsdeelcode``, ``Stadsdeelnaam``, ``Oppervlakte_m2``, WKT. Division ``amsterdam-2015``.
This package's own export (:meth:`AreaRegistry.to_geojson`)
    ``code``, ``name``, ``level``, ``division``, ``parent_code``, ``hierarchy``, ...

Property names are matched case-insensitively. Any other layer can be read by naming its code
field (``code_field=``) and its ``level``.

The package, one module per part: :mod:`.model` (the area and the read result), :mod:`.crs`
(reprojection), :mod:`.layers` (the layer profiles above), :mod:`.records` (GeoJSON features and
CSV rows), :mod:`.repair` (invalid polygons, areas split over features), :mod:`.reading`
(:func:`read_area_geometries`) and :mod:`.registry` (:class:`AreaRegistry`, GeoJSON output).
"""

from kansenaudit.data.geo.crs import reproject_geometries
from kansenaudit.data.geo.model import (
    DIVISION_2015,
    DIVISION_2022,
    LEVEL_ORDER,
    RD_NEW,
    WGS84,
    AreaGeometry,
    GeometryReadResult,
)
from kansenaudit.data.geo.reading import read_area_geometries
from kansenaudit.data.geo.registry import AreaRegistry, to_geojson_geometry

__all__ = [
    "DIVISION_2015",
    "DIVISION_2022",
    "LEVEL_ORDER",
    "RD_NEW",
    "WGS84",
    "AreaGeometry",
    "AreaRegistry",
    "GeometryReadResult",
    "read_area_geometries",
    "reproject_geometries",
    "to_geojson_geometry",
]
