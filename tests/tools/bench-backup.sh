#!/bin/sh
# bench-backup.sh: the throughput of `ssh admin@127.0.0.1 backup > FILE` for a store of
# 1,000,000 dossiers (target >= 50 MB/s over loopback). The store is filled with SQL through
# the sqlite3 shell, without a journal (a closed dossier with 2 documents and 4 events each,
# the shape of a decade of a province's history): quick to build, realistic in size. Its event hashes are
# random, so `audit verify` would reject it; the copy is checked with integrity_check.
# Run by `make bench` with MOTCUAD and CATALOG set; DOSSIERS overrides the count.
set -eu

: "${MOTCUAD:?run with make bench}"
: "${CATALOG:?run with make bench}"
DOSSIERS=${DOSSIERS:-1000000}

command -v sqlite3 >/dev/null 2>&1 || { echo "bench-backup: needs sqlite3" >&2; exit 1; }
command -v ssh >/dev/null 2>&1 || { echo "bench-backup: needs ssh" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/motcua-bench-backup.XXXXXX")
SERVER=
cleanup() {
	if [ -n "$SERVER" ]; then
		kill "$SERVER" 2>/dev/null || true
		wait "$SERVER" 2>/dev/null || true
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT

now_ms() {
	date +%s%3N
}

DATA=$WORK/data
ssh-keygen -q -t ed25519 -N '' -f "$WORK/id"
"$MOTCUAD" init --data "$DATA" --catalog "$CATALOG" --admin admin --key "$WORK/id.pub" \
    >/dev/null

start=$(now_ms)
sqlite3 "$DATA/motcua.db" >/dev/null <<SQL
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
PRAGMA cache_size = -262144;
BEGIN;
INSERT INTO procedure_versions(code, version, name, field, canonical, first_seen)
    VALUES ('2.000815', '00000000000000b1', 'Chứng thực bản sao từ bản chính giấy tờ, văn bản',
    'chung-thuc', '{}', 1420070400);
INSERT INTO procedure_steps(procedure_version, variant, step, dept, name, centidays)
    VALUES (1, 0, 0, 'mot-cua', 'Tiếp nhận, chuyển hồ sơ', 0),
    (1, 0, 1, 'tu-phap', 'Chứng thực', 0), (1, 0, 2, 'mot-cua', 'Trả kết quả', 0);
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $DOSSIERS)
INSERT INTO dossiers(id, code, procedure_version, procedure_code, variant, unit, field,
    applicant_name, applicant_folded, applicant_id, applicant_phone, applicant_address,
    applicant_commune, request, channel, state, step, department, received_by, received_at,
    due_at, step_due_at, resolved_at, returned_at, closed_at, idempotency_key, sets)
SELECT i + 1, printf('%s-%06d-%04d', (CASE i % 12 WHEN 0 THEN 'TPSL' WHEN 1 THEN 'QN'
    WHEN 2 THEN 'TC' WHEN 3 THEN 'ML' WHEN 4 THEN 'BY' WHEN 5 THEN 'PY' WHEN 6 THEN 'MCH'
    WHEN 7 THEN 'YC' WHEN 8 THEN 'MS' WHEN 9 THEN 'SM' WHEN 10 THEN 'SC' ELSE 'VH' END),
    i / 10000, i % 10000), 1, '2.000815', 0,
    (CASE i % 12 WHEN 0 THEN 'TPSL' WHEN 1 THEN 'QN' WHEN 2 THEN 'TC' WHEN 3 THEN 'ML'
    WHEN 4 THEN 'BY' WHEN 5 THEN 'PY' WHEN 6 THEN 'MCH' WHEN 7 THEN 'YC' WHEN 8 THEN 'MS'
    WHEN 9 THEN 'SM' WHEN 10 THEN 'SC' ELSE 'VH' END), 'chung-thuc',
    'Nguyễn Văn ' || (i % 997), 'nguyen van ' || (i % 997), printf('%012d', i),
    printf('09%08d', i), 'Tổ ' || (i % 40) || ', phường Chiềng Lề', 'Chiềng Lề',
    'Chứng thực bản sao', 'counter', 10, 2, 'mot-cua', 1, 1420070400 + i * 300,
    1420070400 + i * 300 + 28800, 1420070400 + i * 300 + 28800, 1420070400 + i * 300 + 7200,
    1420070400 + i * 300 + 9000, 1420070400 + i * 300 + 9000, 'bench-' || i, 1
FROM n;
INSERT INTO dossier_documents(dossier, position, name, originals, copies)
SELECT id, 0, 'Bản chính giấy tờ làm cơ sở chứng thực', 1, 0 FROM dossiers;
INSERT INTO dossier_documents(dossier, position, name, originals, copies)
SELECT id, 1, 'Bản sao cần chứng thực', 0, 1 FROM dossiers;
INSERT INTO events(dossier, at, actor, action, from_state, to_state, step, department, hash)
SELECT id, received_at, 1, 'receive', NULL, 2, 0, 'mot-cua', lower(hex(randomblob(32)))
FROM dossiers;
INSERT INTO events(dossier, at, actor, action, from_state, to_state, step, department, hash)
SELECT id, received_at + 600, 1, 'handover', 2, 4, 1, 'tu-phap', lower(hex(randomblob(32)))
FROM dossiers;
INSERT INTO events(dossier, at, actor, action, from_state, to_state, step, department, hash)
SELECT id, resolved_at, 1, 'resolve', 4, 9, 2, 'mot-cua', lower(hex(randomblob(32)))
FROM dossiers;
INSERT INTO events(dossier, at, actor, action, from_state, to_state, step, department, hash)
SELECT id, returned_at, 1, 'return', 9, 10, 2, 'mot-cua', lower(hex(randomblob(32)))
FROM dossiers;
COMMIT;
PRAGMA journal_mode = WAL;
SQL

fill_ms=$(( $(now_ms) - start ))
size=$(stat -c %s "$DATA/motcua.db")

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$MOTCUAD" serve --data "$DATA" --catalog "$CATALOG" --listen "127.0.0.1:$PORT" \
    >"$WORK/serve.out" 2>"$WORK/serve.log" &
SERVER=$!
i=0
until grep -q "listening on" "$WORK/serve.out"; do
	i=$((i + 1))
	[ "$i" -lt 300 ] || { echo "bench-backup: the server did not start" >&2; exit 1; }
	sleep 0.1
done

best=0
for run in 1 2 3; do
	start=$(now_ms)
	SSH_AUTH_SOCK= ssh -F /dev/null -p "$PORT" -o StrictHostKeyChecking=no \
	    -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o BatchMode=yes \
	    -o IdentitiesOnly=yes -i "$WORK/id" admin@127.0.0.1 backup \
	    >"$WORK/backup.db" 2>"$WORK/backup.err" ||
	    { echo "bench-backup: backup failed: $(cat "$WORK/backup.err")" >&2; exit 1; }
	ms=$(( $(now_ms) - start ))
	got=$(stat -c %s "$WORK/backup.db")
	rate=$(( got / 1000 * 1000 / (ms > 0 ? ms : 1) / 1000 ))
	echo "bench-backup: run $run: $got bytes in $ms ms ($rate MB/s)" >&2
	[ "$rate" -gt "$best" ] && best=$rate
	[ "$run" = 3 ] || rm -f "$WORK/backup.db"
done
[ "$(sqlite3 "$WORK/backup.db" 'PRAGMA integrity_check')" = ok ] ||
    { echo "bench-backup: the copy fails integrity_check" >&2; exit 1; }
[ "$(sqlite3 "$WORK/backup.db" 'SELECT count(*) FROM dossiers')" = "$DOSSIERS" ] ||
    { echo "bench-backup: the copy has other counts" >&2; exit 1; }

printf '%-44s %-12s %10s  %s\n' "backup over ssh (loopback), best of 3" ">= 50 MB/s" \
    "$best MB/s" "$DOSSIERS dossiers, store $((size / 1048576)) MiB, filled in $((fill_ms / 1000)) s"
