/* fuzz_package.c — the package reader end to end: pkg_verify() on any
 * bytes, i.e. ZIP structure and limits, mimetype, the ASiC
 * manifest, the CMS signature and the signer's chain (the fixed test CA of
 * tests/fuzz/pki; the seeds are signed by its signer, so mutations of the
 * answers or of the ZIP layout still reach the later steps), digests and
 * answers.xml. Checks besides the sanitizers: every refusal has a stable
 * code and a detail, an accepted package has answers, a signer and
 * details, and its own digest. */
#include "crypto/digest.h"
#include "exchange/package.h"
#include "fuzz_util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pkg_limits limits;
static int verbose; /* ITAKU_FUZZ_VERBOSE: each verdict on stderr */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fz_pki_get();
	verbose = getenv("ITAKU_FUZZ_VERBOSE") != NULL;
	pkg_limits_default(&limits);
	/* the server's defaults, smaller where only memory is at stake */
	limits.max_bytes = 1u << 20;
	limits.max_entry = 8u << 20;
	limits.max_total = 16u << 20;
	return 0;
}

static void check_accepted(const pkg *p, const uint8_t *data, size_t size)
{
	char hex[DGST_SHA256_HEX];
	const answers *a = pkg_answers(p);
	json_t *d;

	if (a == NULL || pkg_signer(p) == NULL || strlen(pkg_signer_fingerprint(p)) != 64)
		fz_fail("accepted package without answers or signer");
	for (size_t i = 0; i < a->nitems; i++)
		if (a->items[i].level < ANSWERS_NA || a->items[i].level > 5)
			fz_fail("accepted level %d", a->items[i].level);
	dgst_sha256_hex(data, size, hex);
	if (strcmp(hex, pkg_sha256(p)) != 0)
		fz_fail("package digest differs");
	if ((d = pkg_details(p)) == NULL)
		fz_fail("no details for an accepted package");
	json_decref(d);
}

FZ_ZIP_MUTATOR

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char detail[512];
	pkg *p = NULL;
	pkg_rc rc =
	        pkg_verify(data, size, &limits, fz_pki_get()->trust, &p, detail, sizeof(detail));

	if (verbose)
		fprintf(stderr, "%s: %s\n", pkg_rc_code(rc), rc == PKG_OK ? "" : detail);
	if (rc == PKG_OK) {
		check_accepted(p, data, size);
		pkg_free(p);
		return 0;
	}
	if (p != NULL)
		fz_fail("refused (%s) but returned a package", pkg_rc_code(rc));
	if (rc >= PKG_RC_COUNT || detail[0] == '\0' || memchr(detail, '\0', sizeof(detail)) == NULL)
		fz_fail("refusal %d without a code or detail", (int)rc);
	if (rc == PKG_ERR_IO || rc == PKG_ERR_SIGN)
		fz_fail("pkg_verify returned a pkg_write code: %s", pkg_rc_code(rc));
	return 0;
}
