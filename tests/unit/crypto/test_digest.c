/* test_digest.c — SHA-256, hex and strict base64. */
#include "../testutil.h"

#include "crypto/digest.h"

static void sha256_abc(void **state)
{
	char hex[DGST_SHA256_HEX];
	(void)state;
	dgst_sha256_hex("abc", 3, hex);
	assert_string_equal(hex,
	                    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

/* One context for many digests, in pieces: each the one-shot digest. */
static void sha256_pieces(void **state)
{
	static const char *msgs[] = {"abc", "", "a longer message, hashed in pieces"};
	unsigned char want[DGST_SHA256_LEN], got[DGST_SHA256_LEN];
	dgst_sha256_ctx *c = dgst_sha256_new();
	(void)state;
	assert_non_null(c);
	for (size_t i = 0; i < 3; i++) {
		size_t n = strlen(msgs[i]);
		dgst_sha256(msgs[i], n, want);
		assert_int_equal(dgst_sha256_update(c, msgs[i], n / 2), 0);
		assert_int_equal(dgst_sha256_update(c, msgs[i] + n / 2, n - n / 2), 0);
		assert_int_equal(dgst_sha256_next(c, got), 0);
		assert_memory_equal(got, want, sizeof(want));
	}
	assert_int_equal(dgst_sha256_update(c, "abc", 3), 0);
	assert_int_equal(dgst_sha256_final(c, got), 0); /* frees c */
	dgst_sha256("abc", 3, want);
	assert_memory_equal(got, want, sizeof(want));
}

static void base64_roundtrip(void **state)
{
	unsigned char in[32], out[32];
	(void)state;
	for (int i = 0; i < 32; i++)
		in[i] = (unsigned char)(i * 37);
	char *b64 = dgst_b64_encode(in, sizeof(in));
	assert_non_null(b64);
	assert_int_equal(dgst_b64_decode(b64, out, sizeof(out)), 32);
	assert_memory_equal(in, out, 32);
	free(b64);
}

static void base64_strict(void **state)
{
	unsigned char out[8];
	(void)state;
	assert_int_equal(dgst_b64_decode("YWJj", out, sizeof(out)), 3);
	assert_int_equal(dgst_b64_decode(" YW\nJj ", out, sizeof(out)), 3);
	assert_int_equal(dgst_b64_decode("YWI=", out, sizeof(out)), 2);
	assert_int_equal(dgst_b64_decode("YWI", out, sizeof(out)), -1);      /* no padding */
	assert_int_equal(dgst_b64_decode("YW!j", out, sizeof(out)), -1);     /* bad char */
	assert_int_equal(dgst_b64_decode("YWI=YWJj", out, sizeof(out)), -1); /* data after pad */
	assert_int_equal(dgst_b64_decode("YWJjZGVmZ2hp", out, 8), -1);       /* too long */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(sha256_abc),
	        cmocka_unit_test(sha256_pieces),
	        cmocka_unit_test(base64_roundtrip),
	        cmocka_unit_test(base64_strict),
	};
	return cmocka_run_group_tests_name("digest", tests, NULL, NULL);
}
