"""Arguments of the `kansenaudit fieldwork` commands of the fieldwork app (select, import)."""

import sqlite3

from tests.cli.test_every_command import Case


def cases(w: dict) -> dict[str, Case]:
    d, tmp = str(w["dossier"]), w["tmp"]
    with sqlite3.connect(tmp / "data" / "kansenaudit.sqlite3") as db:
        row = db.execute(
            "SELECT id FROM fieldwork_session WHERE dossier_id = ? ORDER BY id LIMIT 1", (d,)
        ).fetchone()
    session = str(row[0]) if row else "1"
    folder = tmp / "transcripten"
    folder.mkdir(exist_ok=True)
    (folder / "gesprek.txt").write_text(
        "I: Hoe ging het?\nR: Goed, Jan Jansen hielp.\nI: En toen?\nR: Toen niet meer.\n",
        encoding="utf-8",
    )
    (folder / "leeg.txt").write_text("", encoding="utf-8")
    return {
        "fieldwork select": Case(
            ("fieldwork", "select", "--dossier", d, "--n", "6", "--json"),
            expect='"proposal"',
        ),
        # One good file and one empty one: the good one is stored, the empty one refused.
        "fieldwork import-transcripts": Case(
            (
                "fieldwork",
                "import-transcripts",
                str(folder),
                "--dossier",
                d,
                "--session",
                session,
                "--json",
            ),
            exit_code=1,
            expect="leeg.txt",
        ),
    }
