"""`dramatis eval`'s bookkeeping: which sets it reads and how it splits scores by type."""
import json
import shutil

from webapp.evaluation import eval_sets, load_scorer, long_article, per_type, score


def gold_doc(text, *entities):
    return {"id": "doc", "text": text, "entities": [
        {"id": f"e{i}", "name": name, "type": kind,
         "mentions": [{"start": text.index(name), "end": text.index(name) + len(name)}]}
        for i, (name, kind) in enumerate(entities)]}


def test_every_jsonl_set_in_the_folder_is_read(tmp_path, eval_dir):
    shutil.copy(eval_dir / "score.py", tmp_path)
    for name in ("alpha", "beta"):
        (tmp_path / f"{name}.jsonl").write_text(json.dumps(gold_doc("Ana Lima spoke.")) + "\n\n")
    assert sorted(eval_sets(tmp_path)) == ["alpha", "beta"]


def test_per_type_scores_count_a_wrong_type_against_both_types(eval_dir):
    """Ana Lima called an organisation: organisations lose precision, people lose recall."""
    scorer = load_scorer(eval_dir)
    text = "Ana Lima met the Maritime Union in Portugal."
    gold = gold_doc(text, ("Ana Lima", "person"), ("Maritime Union", "organization"),
                    ("Portugal", "country"))
    system = gold_doc(text, ("Ana Lima", "organization"), ("Maritime Union", "organization"),
                      ("Portugal", "country"))
    types = per_type(scorer, [gold], [system])
    assert types["person"] == (0.0, 0.0)
    assert types["organization"] == (0.5, 1.0)
    assert types["country"] == (1.0, 1.0)
    assert score(scorer, [gold], [system])["mention_f1"] == 0.667


def test_the_long_article_is_the_texts_end_to_end_within_the_limit():
    texts = ["a" * 300, "b" * 500]
    article = long_article(texts, size=2000)
    assert len(article) <= 2000 and article.startswith("a" * 300 + "\n\n" + "b" * 500)


def test_learned_names_are_scored_as_the_library_would_store_them(eval_dir):
    """`dramatis eval --learned`: a name an editor typed fixes the score where the machine
    got it wrong (issue 10)."""
    from webapp.analysis.article import Analysis, Block, Entity, Mention
    from webapp.evaluation import with_learned

    scorer = load_scorer(eval_dir)
    text = "Ana Lima met the Maritime Union in Portugal."
    gold = gold_doc(text, ("Ana Lima", "person"), ("Maritime Union", "organization"),
                    ("Portugal", "country"))
    union = text.index("Maritime Union")
    machine = Analysis(text, [Block("b1", "paragraph", 0, len(text))], [
        Entity("maritime-union", "Maritime Union", "person",
               [Mention("m1", union, union + 14, "Maritime Union", "b1")])])
    learned = {"maritime union": ("Maritime Union", "organization"), "ana lima": ("Ana Lima", "person"),
               "portugal": ("Portugal", "country")}
    before = score(scorer, [gold], [machine.to_json()])["mention_f1"]
    after = score(scorer, [gold], with_learned([machine], learned))["mention_f1"]
    assert before == 0.0 and after == 1.0
