/* test_manifest.c — ASiC manifest writing and strict reading. */
#include "../testutil.h"

#include "exchange/manifest.h"
#include "forms/xmldoc.h"

static void roundtrip(void **state)
{
	manifest_ref refs[2] = {{TU_S("answers.xml"), TU_S("text/xml"), {1, 2, 3}},
	                        {TU_S("evidence/a&b <x>.pdf"), NULL, {9}}};
	manifest m = {TU_S("META-INF/signature.p7s"), refs, 2}, *back = NULL;
	unsigned char *xml = NULL;
	size_t len = 0;
	char detail[256];
	(void)state;
	assert_int_equal(manifest_write(&m, &xml, &len), MANIFEST_OK);
	assert_int_equal(manifest_parse(xml, len, &back, detail, sizeof(detail)), MANIFEST_OK);
	assert_string_equal(back->sig_uri, "META-INF/signature.p7s");
	assert_int_equal(back->nrefs, 2);
	assert_string_equal(back->refs[1].uri, "evidence/a&b <x>.pdf");
	assert_memory_equal(back->refs[0].sha256, refs[0].sha256, 32);
	manifest_free(back);
	free(xml);
}

#define M_OPEN                                                                 \
	"<asic:ASiCManifest xmlns:asic=\"http://uri.etsi.org/02918/v1.2.1#\" " \
	"xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">"
#define SIG "<asic:SigReference URI=\"META-INF/signature.p7s\"/>"
#define REF(uri, alg, val)                                                                   \
	"<asic:DataObjectReference URI=\"" uri "\"><ds:DigestMethod Algorithm=\"" alg "\"/>" \
	"<ds:DigestValue>" val "</ds:DigestValue></asic:DataObjectReference>"
#define SHA256 "http://www.w3.org/2001/04/xmlenc#sha256"
#define D32    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="

static void refusals(void **state)
{
	static const char *bad[] = {
	        "<x/>",
	        M_OPEN SIG "</asic:ASiCManifest>",
	        M_OPEN REF("answers.xml", SHA256, D32) "</asic:ASiCManifest>",
	        M_OPEN SIG SIG REF("answers.xml", SHA256, D32) "</asic:ASiCManifest>",
	        M_OPEN SIG REF("answers.xml", "http://www.w3.org/2000/09/xmldsig#sha1",
	                       D32) "</asic:ASiCManifest>",
	        M_OPEN SIG REF("answers.xml", SHA256, "AAAA") "</asic:ASiCManifest>",
	        M_OPEN SIG REF("answers.xml", SHA256, D32)
	                REF("answers.xml", SHA256, D32) "</asic:ASiCManifest>",
	        M_OPEN SIG "<asic:Other/>" REF("answers.xml", SHA256, D32) "</asic:ASiCManifest>",
	        "<!DOCTYPE x []>" M_OPEN SIG REF("answers.xml", SHA256, D32) "</asic:ASiCManifest>",
	        M_OPEN SIG REF("answers.xml", SHA256, D32),
	};
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		manifest *m = NULL;
		char detail[256] = "";
		if (manifest_parse(bad[i], strlen(bad[i]), &m, detail, sizeof(detail)) !=
		    MANIFEST_ERR_INVALID)
			fail_msg("case %zu accepted", i);
		assert_true(detail[0] != '\0');
		assert_null(m);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(roundtrip),
	        cmocka_unit_test(refusals),
	};
	xmldoc_init();
	return cmocka_run_group_tests_name("manifest", tests, NULL, NULL);
}
