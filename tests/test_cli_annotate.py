"""`dramatis annotate` and `dramatis eval`: output, and one clear line for every bad input."""
import json
import subprocess
import sys

import pytest

from webapp import cli
from webapp.analysis.article import MAX_ARTICLE_CHARS
from webapp.analysis.pipeline import get_nlp


@pytest.fixture(autouse=True)
def shared_model(nlp, monkeypatch):
    """Reuse the session's pipeline instead of loading a second one."""
    monkeypatch.setattr("webapp.analysis.pipeline.get_nlp", lambda name=None: nlp)


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_annotate_json_follows_the_design_contract(capsys, tmp_path, sample_text):
    path = tmp_path / "a.txt"
    path.write_text(sample_text, encoding="utf-8")
    code, out, err = run(capsys, "annotate", str(path), "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["text"] == sample_text
    assert {b["kind"] for b in data["blocks"]} >= {"headline", "paragraph", "caption", "boilerplate"}
    for entity in data["entities"]:
        assert set(entity) >= {"id", "name", "type", "mentions"}
        for m in entity["mentions"]:
            assert sample_text[m["start"]:m["end"]] == m["text"]


def test_annotate_summary_lists_entities_by_type_with_counts_and_notes(capsys, tmp_path, sample_text):
    path = tmp_path / "a.txt"
    path.write_text(sample_text, encoding="utf-8")
    code, out, _ = run(capsys, "annotate", str(path))
    assert code == 0
    assert "person (" in out and "organization (" in out and "country (" in out
    assert "Helena Vasconcelos: 4 mentions" in out and "spells this name 2 ways" in out


@pytest.mark.parametrize("content, message", [
    (None, "no such file"),
    (b"", "the article is empty"),
    (b"  \n\n \t\n", "the article is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ("Caf\u00e9 au lait".encode("latin-1"), "not UTF-8"),
    (b"word " * (MAX_ARTICLE_CHARS // 5 + 1), "the limit is 200,000"),
])
def test_bad_files_give_one_line_and_a_non_zero_exit(capsys, tmp_path, content, message):
    path = tmp_path / "article.txt"
    if content is not None:
        path.write_bytes(content)
    code, out, err = run(capsys, "annotate", str(path))
    assert code != 0 and out == ""
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_a_folder_is_not_an_article(capsys, tmp_path):
    code, _, err = run(capsys, "annotate", str(tmp_path))
    assert code != 0 and "not a file" in err


def test_a_missing_model_names_the_package_to_install(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr("webapp.analysis.pipeline.get_nlp", get_nlp)  # the real accessor
    monkeypatch.setenv("DRAMATIS_MODEL", "no_such_spacy_model")
    path = tmp_path / "a.txt"
    path.write_text("Angela Merkel visited Paris.", encoding="utf-8")
    code, _, err = run(capsys, "annotate", str(path))
    assert code != 0 and err.count("\n") == 1
    assert "no_such_spacy_model" in err and "is not installed" in err


def test_eval_without_data_says_where_it_looked(capsys, tmp_path):
    code, _, err = run(capsys, "eval", "--eval-dir", str(tmp_path))
    assert code != 0 and "no evaluation data" in err and err.count("\n") == 1


def test_the_installed_command_prints_no_traceback_on_a_missing_file(tmp_path):
    result = subprocess.run([sys.executable, "-m", "webapp.cli", "annotate", str(tmp_path / "x.txt")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip().endswith("no such file") and "Traceback" not in result.stderr
