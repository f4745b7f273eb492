-- Each bucket's published (suppressed) cube, kept so that an isolate that has never built it reads
-- one row instead of the bucket's rollups and the weeks around it (issue 15). A row is one slot: a
-- partnership's bucket under one suppression rule and protection set; `cache_key` names the rollup
-- versions it was built from, so a row built before a change is never used and is overwritten by
-- the next read. `cube` is SuppressedCube.toStored() as JSON: true counts, as the rollups hold.
CREATE TABLE published_cubes (
  partnership_id TEXT NOT NULL,
  slot TEXT NOT NULL,
  cache_key TEXT NOT NULL,
  cube TEXT NOT NULL,
  built_at TEXT NOT NULL,
  PRIMARY KEY (partnership_id, slot)
) WITHOUT ROWID;
