"""What a queue worker does with one add job (read or fetch the article, analyse it, store
it) and with a refresh (fetch it again; a new version when its text changed)."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from ..analysis import analyse
from ..analysis.article import ArticleError, clean_article_text, read_article
from ..ingest import (
    AllowList,
    IngestError,
    article_from_address,
    article_from_document,
    article_from_text,
)
from ..anchors import version_id
from ..store import (ArticleExists, connect, find_version, refreshable, refreshable_slugs,
                     save_analysis)
from ..store.jobs import fail_add_job, finish_add_job, start_add_job, waiting_locks

log = logging.getLogger("dramatis.worker")
REFRESH_BATCH = 1_000  # refresh jobs queued in one insert
REFRESH_LOCK = "refresh {slug}"  # a refresh job's queueing lock: one waiting per article


class NotAnArticle(Exception):
    """The input itself cannot become an article (no attempt would change that)."""


@dataclass
class Runner:
    """One worker process's means: its database connection and loaded pipeline."""

    database_url: str
    nlp: object
    learn_names: bool = True
    allow: AllowList | None = None

    def __post_init__(self):
        self.db = connect(self.database_url)

    def reconnect(self) -> None:
        """A new connection after a failure (the old one may be broken: a restarted server)."""
        try:
            self.db.close()
        except Exception:  # noqa: BLE001 - it is being replaced either way
            pass
        self.db = connect(self.database_url)

    def extract(self, kind: str, data: bytes):
        """The article's text and metadata from the job's input."""
        if kind == "address":
            return article_from_address(data.decode(), self.allow)
        if kind == "page":
            return article_from_document(data, content_type="text/html")
        return article_from_text(read_article(data))

    def add(self, job_id: int) -> str | None:
        """Run the job: the stored article's slug (None when it was done already).
        NotAnArticle when its input cannot be added; anything else is worth another try."""
        started = start_add_job(self.db, job_id)
        if started is None:
            return None
        job, data = started
        try:
            extracted = self.extract(job.kind, data)
            text = clean_article_text(extracted.text)
        except (ArticleError, IngestError) as exc:
            raise NotAnArticle(f"This article cannot be added: {exc}.") from None
        title = job.title or extracted.title
        if not title:
            raise NotAnArticle("No line of this article reads as a headline: add it again "
                               "with a title.")
        analysis = analyse(text, self.nlp)
        try:
            # The same text again stores nothing: a job run twice (its first worker died
            # after storing) leaves one version.
            slug = save_analysis(self.db, analysis, title, metadata=extracted,
                                 learn_names=self.learn_names).slug
        except ArticleExists as exc:
            slug = exc.slug
        finish_add_job(self.db, job_id, slug)
        return slug

    def refresh(self, slug: str) -> str:
        """Fetch an article added from a web address again and store its text as a new
        version if it changed, as `dramatis refresh` does; what became of it, in words.
        NotAnArticle when the page cannot be read as an article now."""
        found = refreshable(self.db, [slug])
        if not found:
            return "no longer in the library"  # deleted since the refresh was queued
        target = found[0]
        try:
            extracted = article_from_address(target["address"], self.allow)
            text = clean_article_text(extracted.text)
        except (ArticleError, IngestError) as exc:
            raise NotAnArticle(str(exc)) from None
        if version_id(text) == find_version(self.db, slug).hash:
            return "unchanged"  # analysed only when the text changed
        added = save_analysis(self.db, analyse(text, self.nlp), target["title"],
                              metadata=extracted, learn_names=self.learn_names)
        return f"new version {added.version}"


def add_article(context, job: int) -> None:
    """The queue's task (registered in jobs.queue_app): one attempt at one add job."""
    from . import ATTEMPTS

    runner: Runner = context.additional_context["runner"]
    final = context.job.attempts + 1 >= ATTEMPTS
    try:
        slug = runner.add(job)
    except NotAnArticle as exc:
        fail_add_job(runner.db, job, str(exc), final=True)
        log.info("add job %s: %s", job, exc)
        return  # done with: trying again would give the same answer
    except Exception as exc:
        runner.reconnect()
        fail_add_job(runner.db, job, f"The analysis failed ({type(exc).__name__}: {exc}).",
                     final=final)
        raise  # procrastinate tries again, unless this was the last attempt
    log.info("add job %s: stored %s", job, slug)


def refresh_library(context, timestamp: int) -> None:
    """The periodic task (jobs.queue_app): a refresh job for each article added from a web
    address, REFRESH_BATCH to an insert (10 million articles are 10,000 round trips to the
    database, not 10 million); one still waiting from the last time is not queued twice."""
    from procrastinate.exceptions import AlreadyEnqueued

    from . import REFRESH_TASK

    runner: Runner = context.additional_context["runner"]
    app = context.app
    waiting = waiting_locks(runner.db, REFRESH_LOCK.format(slug=""))
    queued = 0
    for slugs in refreshable_slugs(runner.db, REFRESH_BATCH):
        jobs = [app.configure_task(REFRESH_TASK, queueing_lock=lock).make_new_job(slug=slug)
                for slug in slugs if (lock := REFRESH_LOCK.format(slug=slug)) not in waiting]
        if not jobs:
            continue
        try:
            app.job_manager.batch_defer_jobs(jobs)
            queued += len(jobs)
        except AlreadyEnqueued:  # one was queued since `waiting` was read: one at a time
            for job in jobs:
                try:
                    app.job_manager.defer_job(job)
                    queued += 1
                except AlreadyEnqueued:
                    pass
    log.info("refresh of the library: %s articles queued", queued)


def refresh_article(context, slug: str) -> None:
    """The queue's refresh task: one article fetched again."""
    runner: Runner = context.additional_context["runner"]
    try:
        log.info("refresh %s: %s", slug, runner.refresh(slug))
    except NotAnArticle as exc:
        log.info("refresh %s: %s", slug, exc)  # the next scheduled refresh tries again
    except Exception:
        runner.reconnect()
        raise
