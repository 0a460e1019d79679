/* db/objects.h — the accepted packages' bytes, wherever the backend keeps
 * them: the one way acceptance writes them and readback, fsck and backup
 * read them. Content-addressed by their SHA-256 (hex) on both backends.
 *
 * sqlite (the embedded default): files of the package store, exactly as
 * packages.h and spool.h keep them (DIR/ab/<sha256>, durable before the
 * row that points at them is committed); the objects table stays empty.
 * PostgreSQL: rows of objects (sha256, size, bytes; migration 22) in the
 * same database, inserted in the acceptance's own transaction, so that
 * streaming replication and pg_dump cover every package with the rows
 * that point at it and no node needs a shared file system. The spool
 * stays on each node's local disk (DIR/tmp), for receiving and hashing.
 *
 * Callers choose nothing: they pass the connection and the store's
 * directory, and these functions follow db_kind(). Checking bytes against
 * a submission's digest stays the caller's (readback.c), except in
 * obj_check(), which is that check. Must not know submissions or HTTP. */
#ifndef ITAKU_CORE_DB_OBJECTS_H
#define ITAKU_CORE_DB_OBJECTS_H

#include "core/db/db.h"
#include "core/db/spool.h"

#include <stddef.h>

typedef enum {
	OBJ_OK = 0,
	OBJ_ERR_NOTFOUND,  /* no object of that digest */
	OBJ_ERR_CORRUPT,   /* obj_check(): the bytes are not their digest or size */
	OBJ_ERR_IO,        /* the store's files cannot be written or read */
	OBJ_ERR_FULL,      /* the store's file system is full (ENOSPC, EDQUOT) */
	OBJ_ERR_TOO_LARGE, /* more bytes than one value may hold (PostgreSQL: 1 GB) */
	OBJ_ERR_DB,        /* the database failed (logged) */
	OBJ_ERR_NOMEM,
} obj_rc;

/* What is being stored: bytes in memory (buf, len), or a spool after
 * store_spool_finish() (borrowed; buf is then ignored); sha256 is their
 * digest in hex, computed by the caller (the spool's own for a spool). */
typedef struct obj_src {
	const unsigned char *buf;
	size_t len;
	store_spool *spool;
	const char *sha256;
} obj_src;

/* Stores the object, made durable before the transaction that records
 * what points at it, so that a row committed later never points at
 * nothing; run outside the writers' lock, as the writes are the slow part
 * of an upload and serialising them would serialise every node's uploads.
 *   sqlite: the file in the store dir (the spool renamed into place, or
 *           the bytes written; both fsynced).
 *   PostgreSQL: one INSERT … ON CONFLICT (sha256) DO NOTHING of the bytes,
 *           bound from the spool's read-only mapping; dir is not used (may
 *           be NULL). Outside a transaction it commits at once (an upload:
 *           before db_begin()); inside one it is part of it (itaku migrate:
 *           rolled back with the copy). Bytes already stored are a no-op.
 * On both, the bytes of an upload the transaction then refuses stay, no
 * submission pointing at them: an orphan `itaku fsck` lists, harmless.
 * After the commit, a spool is the store's on sqlite and stays a
 * temporary file on PostgreSQL: store_spool_free() it either way. */
obj_rc obj_place(db_conn *db, const char *dir, const obj_src *src);

/* Stored bytes, read-only: mapped from the store's file (sqlite) or a heap
 * copy of the row (PostgreSQL). The view is the caller's: obj_view_free(),
 * also after an error (a zeroed view is a no-op). */
typedef struct obj_view {
	const unsigned char *buf;
	size_t len;
	int heap; /* 1: buf is malloc'd; 0: a mapping (store_unmap) */
} obj_view;

/* The object sha256 into *out. OBJ_ERR_NOTFOUND when there is none (also
 * for what is no digest at all); OBJ_ERR_IO when its file cannot be read. */
obj_rc obj_get(db_conn *db, const char *dir, const char *sha256, obj_view *out);
void obj_view_free(obj_view *v);

/* The object as a descriptor to send (O_CLOEXEC, the caller close()s it,
 * also its position is the caller's: 0 on return) holding *len bytes, and
 * in *view exactly the bytes it reads, to be checked before it is sent
 * (obj_view_free() it). sqlite: the store's file (no symbolic link
 * followed) and a mapping of that same descriptor; PostgreSQL: an
 * anonymous memory file (memfd) written from the row's copy in *view.
 * On an error *fd is -1 and *view empty. */
obj_rc obj_open(db_conn *db, const char *dir, const char *sha256, int *fd, size_t *len,
                obj_view *view);

/* fsck's check of one object: OBJ_OK when it holds size bytes whose
 * SHA-256 is sha256 (and, on PostgreSQL, its size column says so too),
 * OBJ_ERR_NOTFOUND when absent, OBJ_ERR_CORRUPT when not those bytes.
 * sqlite reads the file in pieces, never whole. */
obj_rc obj_check(db_conn *db, const char *dir, const char *sha256, long long size);

/* Calls fn for every stored object: name as an operator finds it
 * ("ab/<sha256>" below dir on sqlite, "objects/<sha256>" on PostgreSQL)
 * and its digest, or NULL for a store file whose name is no digest
 * (sqlite). fn returning nonzero stops the walk (OBJ_OK). For fsck's
 * orphans: the objects no submission references. */
obj_rc obj_each(db_conn *db, const char *dir,
                int (*fn)(const char *name, const char *sha256, void *arg), void *arg);

/* A short human name of rc ("no such object", …). */
const char *obj_rc_str(obj_rc rc);

#endif
