/* bench_verify.c — in-process time of pkg_verify() on one package against
 * "limit B", the work no verifier can skip, timed on the same bytes in the
 * same process: SHA-256 of the package and of every entry, inflating the
 * compressed entries, one signature verify (CMS over the manifest), one
 * chain check of the signer and one XSD validation of answers.xml, each
 * done with OpenSSL, zlib and libxml2 directly. The entry table the
 * reference needs is read once before timing (trusted input: the package
 * verifies). Each round alternates the two, one run each, and takes the
 * median of the pairs' ratios; the figure is min/median/max over the
 * rounds. Times are the thread's CPU time: the machine is shared, and wall
 * time would count the other processes' turns on the cores (the medians
 * printed in wall time too, for the record). */
#include "exchange/package.h"
#include "forms/number.h"
#include "forms/xmldoc.h"

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/x509_vfy.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

extern unsigned char answers_xsd[];
extern unsigned int answers_xsd_len;

typedef struct ref_entry {
	char name[256];
	const unsigned char *data; /* in the package */
	size_t csize, usize;
	int deflated;
	unsigned char *bytes; /* the inflated bytes, for the entries parsed */
} ref_entry;

typedef struct ref {
	ref_entry e[64];
	size_t n;
	X509_STORE *store;
	xmlSchemaPtr schema;
	unsigned char *chunk; /* inflate output of entries only hashed */
} ref;

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double clock_ms(clockid_t id)
{
	struct timespec t;
	clock_gettime(id, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static double median(double *v, long long n)
{
	qsort(v, (size_t)n, sizeof(double), cmp);
	return v[n / 2];
}

static unsigned le16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static size_t le32(const unsigned char *p)
{
	return (size_t)p[0] | (size_t)p[1] << 8 | (size_t)p[2] << 16 | (size_t)p[3] << 24;
}

/* The entry table of a package that pkg_verify() accepted. */
static int ref_table(ref *r, const unsigned char *buf, size_t len)
{
	const unsigned char *eocd = buf + len - 22, *c;
	size_t count = le16(eocd + 10);

	if (count > sizeof(r->e) / sizeof(r->e[0]))
		return -1;
	c = buf + le32(eocd + 16);
	for (size_t i = 0; i < count; i++) {
		ref_entry *e = &r->e[i];
		size_t nl = le16(c + 28), off = le32(c + 42);
		const unsigned char *l = buf + off;
		if (nl >= sizeof(e->name))
			return -1;
		memcpy(e->name, c + 46, nl);
		e->name[nl] = '\0';
		e->deflated = le16(c + 10) == 8;
		e->csize = le32(c + 20);
		e->usize = le32(c + 24);
		e->data = l + 30 + le16(l + 26) + le16(l + 28);
		c += 46 + nl + le16(c + 30) + le16(c + 32);
	}
	r->n = count;
	return 0;
}

static int needed(const ref_entry *e)
{
	return strcmp(e->name, PKG_ANSWERS) == 0 || strcmp(e->name, PKG_MANIFEST) == 0 ||
	       strcmp(e->name, PKG_SIGNATURE) == 0;
}

static const ref_entry *ref_find(const ref *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->e[i].name, name) == 0)
			return &r->e[i];
	return NULL;
}

/* Inflates e, hashing its output; into e->bytes when it is parsed later. */
static int ref_inflate(ref *r, ref_entry *e, EVP_MD_CTX *md)
{
	z_stream z;
	int zr = Z_OK;
	unsigned char *out = needed(e) ? e->bytes : r->chunk;
	size_t cap = needed(e) ? e->usize : 65536;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, -MAX_WBITS) != Z_OK)
		return -1;
	z.next_in = (unsigned char *)(uintptr_t)e->data;
	z.avail_in = (uInt)e->csize;
	while (zr == Z_OK) {
		unsigned char *at = needed(e) ? out + z.total_out : out;
		z.next_out = at;
		z.avail_out = (uInt)(needed(e) ? cap - z.total_out + 1 : cap);
		zr = inflate(&z, Z_NO_FLUSH);
		EVP_DigestUpdate(md, at, (size_t)(z.next_out - at));
	}
	inflateEnd(&z);
	return zr == Z_STREAM_END ? 0 : -1;
}

/* Limit B once. Returns 0 when every step succeeded. */
static int ref_run(ref *r, const unsigned char *buf, size_t len)
{
	unsigned char md[32];
	unsigned int mdlen;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = EVP_Digest(buf, len, md, &mdlen, EVP_sha256(), NULL) == 1;

	for (size_t i = 0; ok && i < r->n; i++) {
		ref_entry *e = &r->e[i];
		ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1;
		if (e->deflated)
			ok = ok && ref_inflate(r, e, ctx) == 0;
		else
			ok = ok && EVP_DigestUpdate(ctx, e->data, e->csize) == 1;
		ok = ok && EVP_DigestFinal_ex(ctx, md, &mdlen) == 1;
		if (!e->deflated && needed(e))
			e->bytes = (unsigned char *)(uintptr_t)e->data;
	}
	EVP_MD_CTX_free(ctx);
	const ref_entry *sig = ref_find(r, PKG_SIGNATURE), *mf = ref_find(r, PKG_MANIFEST);
	const ref_entry *an = ref_find(r, PKG_ANSWERS);
	if (!ok || sig == NULL || mf == NULL || an == NULL)
		return -1;
	/* one signature verify */
	const unsigned char *p = sig->bytes;
	CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)sig->usize);
	BIO *content = BIO_new_mem_buf(mf->bytes, (int)mf->usize);
	ok = cms != NULL && content != NULL &&
	     CMS_verify(cms, NULL, NULL, content, NULL, CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) ==
	             1;
	/* one chain check */
	STACK_OF(X509) *certs = ok ? CMS_get1_certs(cms) : NULL;
	STACK_OF(X509) *signers = ok ? CMS_get0_signers(cms) : NULL;
	X509_STORE_CTX *vctx = X509_STORE_CTX_new();
	ok = ok && signers != NULL && vctx != NULL &&
	     X509_STORE_CTX_init(vctx, r->store, sk_X509_value(signers, 0), certs) == 1 &&
	     X509_STORE_CTX_set_purpose(vctx, X509_PURPOSE_SMIME_SIGN) == 1 &&
	     X509_verify_cert(vctx) == 1;
	X509_STORE_CTX_free(vctx);
	sk_X509_free(signers);
	sk_X509_pop_free(certs, X509_free);
	BIO_free(content);
	CMS_ContentInfo_free(cms);
	/* one XSD validation */
	xmlDocPtr doc =
	        ok ? xmlReadMemory((const char *)an->bytes, (int)an->usize, NULL, NULL,
	                           XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)
	           : NULL;
	xmlSchemaValidCtxtPtr v = doc ? xmlSchemaNewValidCtxt(r->schema) : NULL;
	ok = ok && v != NULL && xmlSchemaValidateDoc(v, doc) == 0;
	xmlSchemaFreeValidCtxt(v);
	xmlFreeDoc(doc);
	return ok ? 0 : -1;
}

static int ref_init(ref *r, const unsigned char *buf, size_t len, const char *ca)
{
	xmlSchemaParserCtxtPtr pc;

	memset(r, 0, sizeof(*r));
	if (ref_table(r, buf, len) != 0 || (r->chunk = malloc(65536)) == NULL)
		return -1;
	for (size_t i = 0; i < r->n; i++)
		if (r->e[i].deflated && needed(&r->e[i]) &&
		    (r->e[i].bytes = malloc(r->e[i].usize + 1)) == NULL)
			return -1;
	if ((r->store = X509_STORE_new()) == NULL || X509_STORE_load_file(r->store, ca) != 1)
		return -1;
	pc = xmlSchemaNewMemParserCtxt((const char *)answers_xsd, (int)answers_xsd_len);
	r->schema = pc ? xmlSchemaParse(pc) : NULL;
	xmlSchemaFreeParserCtxt(pc);
	return r->schema ? 0 : -1;
}

static void ref_fini(ref *r)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->e[i].deflated && needed(&r->e[i]))
			free(r->e[i].bytes);
	free(r->chunk);
	X509_STORE_free(r->store);
	xmlSchemaFree(r->schema);
}

int main(int argc, char **argv)
{
	cert_trust *trust = NULL;
	pkg_limits l;
	char detail[512];
	long long rounds = 9, runs = 21;
	ref r;
	int ret = 1;

	if (argc < 5 || (argc > 5 && num_parse(argv[5], 1, 1000, &rounds) != 0) ||
	    (argc > 6 && num_parse(argv[6], 1, 100000, &runs) != 0)) {
		fprintf(stderr, "usage: bench_verify PKG CA LABEL GOAL [ROUNDS [RUNS]]\n");
		return 2;
	}
	xmldoc_init();
	pkg_limits_default(&l);
	l.max_bytes = 64u << 20; /* 30 KB + 20 MiB is over the default 20 MiB */
	FILE *f = fopen(argv[1], "rb");
	unsigned char *buf = malloc(l.max_bytes);
	size_t len = f && buf ? fread(buf, 1, l.max_bytes, f) : 0;
	if (f)
		fclose(f);
	if (len == 0 || cert_trust_load(argv[2], NULL, &trust) != CERT_OK ||
	    ref_init(&r, buf, len, argv[2]) != 0) {
		fprintf(stderr, "cannot read package or CA\n");
		return 1;
	}
	double *ms = calloc((size_t)runs, sizeof(double)),
	       *rs = calloc((size_t)runs, sizeof(double));
	double *pr = calloc((size_t)runs, sizeof(double)),
	       *wm = calloc((size_t)runs, sizeof(double));
	double *wr = calloc((size_t)runs, sizeof(double));
	double *ratio = calloc((size_t)rounds, sizeof(double));
	for (long long k = 0; k < rounds; k++) {
		for (long long i = 0; i < runs; i++) {
			pkg *p = NULL;
			double wa = clock_ms(CLOCK_MONOTONIC),
			       a = clock_ms(CLOCK_THREAD_CPUTIME_ID);
			pkg_rc rc = pkg_verify(buf, len, &l, trust, &p, detail, sizeof(detail));
			double wb = clock_ms(CLOCK_MONOTONIC),
			       b = clock_ms(CLOCK_THREAD_CPUTIME_ID);
			int rr = ref_run(&r, buf, len);
			double wc = clock_ms(CLOCK_MONOTONIC),
			       c = clock_ms(CLOCK_THREAD_CPUTIME_ID);
			pkg_free(p);
			if (rc != PKG_OK || rr != 0) {
				fprintf(stderr, "verify failed: %s: %s (reference %d)\n",
				        pkg_rc_code(rc), detail, rr);
				goto out;
			}
			ms[i] = b - a;
			rs[i] = c - b;
			pr[i] = ms[i] / rs[i];
			wm[i] = wb - wa;
			wr[i] = wc - wb;
		}
		ratio[k] = median(pr, runs);
		printf("  round %lld: CPU median pkg_verify %.2f ms, limit B %.2f ms; wall %.2f / "
		       "%.2f ms; ratio %.3f\n",
		       k + 1, median(ms, runs), median(rs, runs), median(wm, runs),
		       median(wr, runs), ratio[k]);
	}
	qsort(ratio, (size_t)rounds, sizeof(double), cmp);
	printf("FIGURE: verify %s ratio min/median/max = %.3f/%.3f/%.3f (goal ≤ %s)\n", argv[3],
	       ratio[0], ratio[rounds / 2], ratio[rounds - 1], argv[4]);
	ret = 0;
out:
	free(ratio);
	free(wr);
	free(wm);
	free(pr);
	free(rs);
	free(ms);
	ref_fini(&r);
	free(buf);
	cert_trust_free(trust);
	return ret;
}
