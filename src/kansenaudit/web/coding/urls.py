# SPDX-License-Identifier: EUPL-1.2
"""Pages of the coding app (each one is in tests/helpers/matrix_coding.py)."""

from django.urls import path

from kansenaudit.web.coding import views, views_analysis, views_mirror

app_name = "coding"
CODING = "dossiers/<int:dossier_id>/codering/"
CODE = CODING + "codeboek/<int:code_id>/"
TRANSCRIPT = CODING + "transcripten/<int:transcript_id>/"
PAGE = CODING + "documenten/<int:document_id>/<int:number>/"
SEGMENT = CODING + "segmenten/<int:segment_id>/"
SAMPLE = CODING + "dubbel/<int:sample_id>/"
MIRROR = CODING + "spiegel/"
MIRROR_ROW = MIRROR + "rijen/<int:row_id>/"

urlpatterns = [
    path(CODING, views.overview, name="overview"),
    path(CODING + "codeboek/", views.codebook, name="codebook"),
    path(CODING + "codeboek/nieuw/", views.code_add, name="code_add"),
    path(CODING + "codeboek/deductief/", views.codes_deductive, name="codes_deductive"),
    path(CODE, views.code, name="code"),
    path(CODE + "opslaan/", views.code_edit, name="code_edit"),
    path(CODE + "samenvoegen/", views.code_merge, name="code_merge"),
    path(CODE + "splitsen/", views.code_split, name="code_split"),
    path(CODE + "memo/", views.code_memo, name="code_memo"),
    path(TRANSCRIPT, views.transcript, name="transcript"),
    path(TRANSCRIPT + "coderen/", views.transcript_code, name="transcript_code"),
    path(TRANSCRIPT + "memo/", views.transcript_memo, name="transcript_memo"),
    path(TRANSCRIPT + "klaar/", views.double_done, name="double_done"),
    path(PAGE, views.page, name="page"),
    path(PAGE + "coderen/", views.page_code, name="page_code"),
    path(SEGMENT + "verwijderen/", views.segment_remove, name="segment_remove"),
    path(SEGMENT + "memo/", views.segment_memo, name="segment_memo"),
    path(CODING + "dubbel/", views.double_start, name="double_start"),
    path(SAMPLE, views.compare, name="compare"),
    path(SAMPLE + "consensus/", views.consensus, name="consensus"),
    path(CODING + "overeenstemming/", views_analysis.agreement, name="agreement"),
    path(CODING + "zoeken/", views_analysis.retrieve, name="retrieve"),
    path(CODING + "analyse/", views_analysis.analysis_page, name="analysis"),
    path(CODING + "segmenten.csv", views_analysis.segments_csv, name="segments_csv"),
    path(CODING + "codering.xlsx", views_analysis.analysis_xlsx, name="analysis_xlsx"),
    path(CODING + "codering.qdpx", views_analysis.export_qdpx, name="export_qdpx"),
    path(CODING + "codeboek.qdc", views_analysis.export_qdc, name="export_qdc"),
    path(CODING + "refi/importeren/", views_analysis.import_refi, name="import_refi"),
    path(MIRROR, views_mirror.mirror, name="mirror"),
    path(MIRROR + "<int:measure_id>/", views_mirror.mirror_measure, name="mirror_measure"),
    path(MIRROR + "<int:measure_id>/starten/", views_mirror.mirror_start, name="mirror_start"),
    path(MIRROR_ROW, views_mirror.mirror_row, name="mirror_row"),
    path(MIRROR_ROW + "oordeel/", views_mirror.mirror_assess, name="mirror_assess"),
    path(MIRROR_ROW + "consensus/", views_mirror.mirror_consensus, name="mirror_consensus"),
    path(MIRROR_ROW + "aftekenen/", views_mirror.mirror_sign_off, name="mirror_sign_off"),
    path(CODING + "spiegel.csv", views_mirror.mirror_csv, name="mirror_csv"),
    path(CODING + "spiegel.xlsx", views_mirror.mirror_xlsx, name="mirror_xlsx"),
]
