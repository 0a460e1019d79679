/* archive.h — the instance archive: one ZIP file with what brings an
 * instance back on another machine (a database snapshot, the packages it
 * references, pki/, the configuration) and MANIFEST, one "SHA-256  name"
 * line per other entry (sha256sum's format: `sha256sum -c MANIFEST` checks
 * an unpacked archive). This module writes archives and reads them back
 * strictly; which files go in and where they go back is maint.c's.
 * Must not: trust an archive's names or bytes before the manifest has
 * vouched for them (arch_open() and arch_extract() check both). */
#ifndef ITAKU_CORE_ARCHIVE_H
#define ITAKU_CORE_ARCHIVE_H

#include <stddef.h>

#define ARCH_MANIFEST  "MANIFEST"
#define ARCH_NAME_MAX  160                   /* "store/ab/<64 hex>" and pki/ paths fit */
#define ARCH_SMALL_MAX ((size_t)1024 * 1024) /* itaku.conf and each pki/ file */

typedef enum {
	ARCH_OK = 0,
	ARCH_ERR_IO,      /* a file cannot be read or written */
	ARCH_ERR_FORMAT,  /* not an itaku archive: no ZIP, no or a bad MANIFEST */
	ARCH_ERR_NAME,    /* an entry name that is unsafe or not in the manifest */
	ARCH_ERR_DIGEST,  /* an entry's bytes differ from its manifest line */
	ARCH_ERR_MISSING, /* a manifest line without its entry, or no such entry */
	ARCH_ERR_MEMORY,
} arch_rc;

const char *arch_rc_str(arch_rc rc);

/* ---- writing ---- */

typedef struct arch_writer arch_writer;

/* Starts an archive to be renamed to path by arch_commit() (written to
 * "<path>.tmp" meanwhile). *w is the caller's: arch_commit() or
 * arch_abort() frees it. */
arch_rc arch_create(const char *path, arch_writer **w);

/* Adds the file at src as entry name (stored uncompressed when store is
 * set: packages are ZIPs already). Its SHA-256 is taken now and written
 * to the manifest; the bytes are read again when the archive is
 * committed, so src must not change until then (the store's files and a
 * snapshot do not). *sha256 (may be NULL) receives the digest. */
arch_rc arch_add(arch_writer *w, const char *name, const char *src, int store, char sha256[65]);

/* Writes the manifest, closes the archive and renames it into place
 * (durably). Frees w, also on failure (the partial file is removed). */
arch_rc arch_commit(arch_writer *w, char *detail, size_t detail_len);

/* Drops an unfinished archive and its temporary file. NULL: no-op. */
void arch_abort(arch_writer *w);

/* ---- reading ---- */

typedef struct arch_reader arch_reader;

/* Opens the archive at path and reads its manifest: every entry but the
 * manifest must be listed exactly once under a safe name, and every line
 * must have its entry. Nothing is extracted. *r is the caller's
 * (arch_close()). detail says which name or line is wrong. */
arch_rc arch_open(const char *path, arch_reader **r, char *detail, size_t detail_len);
void arch_close(arch_reader *r);

/* The number of entries the manifest lists, and the n-th name (borrowed). */
size_t arch_count(const arch_reader *r);
const char *arch_name(const arch_reader *r, size_t n);

/* Reads entry name whole and compares it with its manifest line, writing
 * nothing (dest NULL), or writes it to dest through "<dest>.tmp", renamed
 * into place only when the digest matched. */
arch_rc arch_extract(arch_reader *r, const char *name, const char *dest, char *detail,
                     size_t detail_len);

/* The first n bytes of entry name into buf (*got of them), unchecked: for
 * a look at a file's kind before anything is written. */
arch_rc arch_peek(arch_reader *r, const char *name, void *out, size_t n, size_t *got);

/* 1 when name is one an archive may hold: "itaku.db", "itaku.conf",
 * "pki/…" or "store/xx/<64 hex>", of [A-Za-z0-9._-] parts, none "." or
 * "..", and no longer than ARCH_NAME_MAX. */
int arch_name_safe(const char *name);

#endif
