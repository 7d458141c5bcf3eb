#!/usr/bin/env python3
"""CPU time per query of the search SQL, interleaved word by word so a loaded machine affects both alike: bm25 over
every match (before perf3) against relevance by number of matches (perf3, main c7a0f91), and with --filtered the perf3
statements against this branch's (a category as a set of post ids tested per match; the title matches read once). Uses the SQLite library the application ships
(build bench/PressMcp.Bench in Release first) on a COPY of the benchmark database (it creates a temp vocabulary table).

    cp bench/data/pressmcp.db /tmp/search.db && python3 bench/search-sql-cpu.py /tmp/search.db [--filtered]

--filtered: one word + a category (1-12 with its descendants, as the application does) + date filter, page 2, as the
benchmark's filtered case. Run it on a database migrated by this branch (it has the covering post_terms index).
"""
import ctypes, glob, random, sys, time

LIB = glob.glob("bench/PressMcp.Bench/bin/Release/*/runtimes/linux-x64/native/libe_sqlite3.so")[0]
lib = ctypes.CDLL(LIB)
db = ctypes.c_void_p()
assert lib.sqlite3_open(sys.argv[1].encode(), ctypes.byref(db)) == 0
lib.sqlite3_column_text.restype = ctypes.c_char_p
lib.sqlite3_errmsg.restype = ctypes.c_char_p
FILTERED = "--filtered" in sys.argv


def q(sql):
    st = ctypes.c_void_p()
    if lib.sqlite3_prepare_v2(db, sql.encode(), -1, ctypes.byref(st), None):
        raise Exception(lib.sqlite3_errmsg(db))
    rows = []
    while lib.sqlite3_step(st) == 100:
        rows.append(tuple(lib.sqlite3_column_text(st, i) for i in range(lib.sqlite3_column_count(st))))
    lib.sqlite3_finalize(st)
    return rows


site = int(q("SELECT id FROM sites WHERE slug='bench-100000'")[0][0])
lo, hi = site * 4294967296, site * 4294967296 + 4294967295
q("CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(main, posts_fts, 'row')")
words = [r[0].decode() for r in q("SELECT term FROM temp.vocab ORDER BY doc DESC LIMIT 3000")]
join = f"JOIN posts p INDEXED BY ix_posts_search_cover ON p.site_id = {site} AND p.id = f.rid - {lo}"
offset = 10 if FILTERED else 0
vis = ""


def fts(match, rank=None):
    r = f", bm25(posts_fts, {rank}) AS rank" if rank else ""
    return f"(SELECT rowid AS rid{r} FROM posts_fts WHERE posts_fts MATCH '{match}' AND rowid BETWEEN {lo} AND {hi})"


def before(w, where=None):
    q(f"SELECT p.id, COUNT(*) OVER () FROM {fts(w, '10.0, 3.0, 1.0')} f {join} WHERE {where or vis} "
      f"ORDER BY f.rank ASC, p.date_utc DESC, p.id DESC LIMIT 10 OFFSET {offset}")


def after(w):
    if int(q(f"SELECT count(*) FROM posts_fts WHERE posts_fts MATCH '\"{w}\"' AND rowid BETWEEN {lo} AND {hi}")[0][0]) <= 2000:
        return before(w)
    head = '{title excerpt} : ("' + w + '")'
    page = q(f"SELECT p.id, COUNT(*) OVER () FROM {fts(head, '10.0, 3.0, 0.0')} f {join} WHERE {vis} "
             f"ORDER BY f.rank, p.date_utc DESC, p.id DESC LIMIT 10 OFFSET {offset}")
    if len(page) == 10:
        q(f"SELECT count(*) FROM {fts(w)} f {join} WHERE {vis}")
        return
    titled = int(page[0][1]) if page else int(q(f"SELECT count(*) FROM {fts(head)} f {join} WHERE {vis}")[0][0])
    q(f"SELECT p.id, COUNT(*) OVER () FROM {fts(w)} f {join} WHERE {vis} AND f.rid NOT IN "
      f"(SELECT rowid FROM posts_fts WHERE posts_fts MATCH '{head}' AND rowid BETWEEN {lo} AND {hi}) "
      f"ORDER BY p.date_utc DESC, p.id DESC LIMIT {10 - len(page)} OFFSET {max(0, offset - titled)}")


def category_set(term):
    """The category and its descendants, as PostSearch.CategoryWithDescendantsAsync."""
    tree = q(f"SELECT id, parent_id FROM terms WHERE site_id = {site} AND taxonomy = 'category'")
    ids = [term]
    for i in ids:
        ids += [int(r[0]) for r in tree if r[1] is not None and int(r[1]) == i and int(r[0]) not in ids]
    return ",".join(map(str, ids))


cats = ""


def branch(w):
    """This branch: title matches up to the page's end read once with their count (the category looked up per match, as
    before); the statements over every match test the category as a set of post ids when it holds fewer than three posts
    per match."""
    matches = int(q(f"SELECT count(*) FROM posts_fts WHERE posts_fts MATCH '\"{w}\"' AND rowid BETWEEN {lo} AND {hi}")[0][0])
    if matches <= 2000:
        return before(w)
    where = vis
    if FILTERED and int(q(f"SELECT count(*) FROM (SELECT 1 FROM post_terms pt WHERE pt.site_id = {site} AND pt.term_id IN ({cats}) LIMIT {3 * matches})")[0][0]) < 3 * matches:
        where = set_vis
    head = '{title excerpt} : ("' + w + '")'
    page = q(f"SELECT p.id, COUNT(*) OVER () FROM {fts(head, '10.0, 3.0, 0.0')} f {join} WHERE {vis} "
             f"ORDER BY f.rank, p.date_utc DESC, p.id DESC LIMIT {offset + 10}")
    titled = int(page[0][1]) if page else 0
    page = page[offset:]
    if len(page) == 10:
        q(f"SELECT count(*) FROM {fts(w)} f {join} WHERE {where}")
        return
    q(f"SELECT p.id, COUNT(*) OVER () FROM {fts(w)} f {join} WHERE {where} AND f.rid NOT IN "
      f"(SELECT rowid FROM posts_fts WHERE posts_fts MATCH '{head}' AND rowid BETWEEN {lo} AND {hi}) "
      f"ORDER BY p.date_utc DESC, p.id DESC LIMIT {10 - len(page)} OFFSET {max(0, offset - titled)}")


random.seed(42)
samples = {before: [], after: [], branch: []}
compared = (after, branch) if FILTERED else (before, after)
set_vis = ""
for i in range(550):
    w = words[random.randint(100, 2999)]
    vis = f"p.site_id = {site} AND p.type = 'post' AND p.status IN ('publish')"
    set_vis = vis
    if FILTERED:
        cats = category_set(random.randint(1, 12))
        vis += (f" AND p.date_utc >= '2024-01-01' AND EXISTS (SELECT 1 FROM post_terms pt WHERE pt.site_id = p.site_id"
                f" AND pt.post_id = p.id AND pt.term_id IN ({cats}))")
        set_vis += (f" AND p.date_utc >= '2024-01-01' AND f.rid - {lo} IN (SELECT pt.post_id FROM post_terms pt"
                       f" WHERE pt.site_id = {site} AND pt.term_id IN ({cats}))")
    for f in (compared if i % 2 == 0 else compared[::-1]):
        start = time.thread_time()
        f(w)
        if i >= 50:
            samples[f].append((time.thread_time() - start) * 1000)


def pct(a, p):
    a = sorted(a)
    r = p / 100 * (len(a) - 1)
    k = int(r)
    return a[k] + (a[min(k + 1, len(a) - 1)] - a[k]) * (r - k)


names = {before: "bm25 over every match (before perf3)", after: "relevance by number of matches (perf3, main)",
         branch: "category as a set when small enough, title matches read once (this branch)"}
print("| statement | samples | median CPU ms | p90 | p99 | max |\n|---|---|---|---|---|---|")
for f in compared:
    a = samples[f]
    print(f"| {names[f]} | {len(a)} | {pct(a, 50):.2f} | {pct(a, 90):.2f} | {pct(a, 99):.2f} | {max(a):.2f} |")
