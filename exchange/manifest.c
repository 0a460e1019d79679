/* manifest.c — reading and writing the ASiC manifest with libxml2's tree
 * API. Reading is strict: one SigReference, SHA-256 only, unique URIs. */
#include "exchange/manifest.h"

#include "crypto/digest.h"
#include "forms/xmldoc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void manifest_free(manifest *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i < m->nrefs; i++) {
		free(m->refs[i].uri);
		free(m->refs[i].mime);
	}
	free(m->refs);
	free(m->sig_uri);
	free(m);
}

static int in_ns(xmlNodePtr n, const char *ns, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns != NULL &&
	       xmlStrcmp(n->ns->href, (const xmlChar *)ns) == 0 &&
	       xmlStrcmp(n->name, (const xmlChar *)name) == 0;
}

static xmlNodePtr next_element(xmlNodePtr n)
{
	while (n != NULL && n->type != XML_ELEMENT_NODE)
		n = n->next;
	return n;
}

#define INVALID(...)                                       \
	do {                                               \
		snprintf(detail, detail_len, __VA_ARGS__); \
		return MANIFEST_ERR_INVALID;               \
	} while (0)

static manifest_rc read_ref(xmlNodePtr node, manifest_ref *ref, char *detail, size_t detail_len)
{
	xmlNodePtr method = next_element(node->children);
	xmlNodePtr value = method != NULL ? next_element(method->next) : NULL;
	char *alg = NULL;
	xmlChar *text = NULL;
	long n;

	if ((ref->uri = xmldoc_attr(node, "URI")) == NULL)
		INVALID("DataObjectReference without URI (line %ld)", xmlGetLineNo(node));
	ref->mime = xmldoc_attr(node, "MimeType");
	if (method == NULL || !in_ns(method, MANIFEST_DS_NS, "DigestMethod") || value == NULL ||
	    !in_ns(value, MANIFEST_DS_NS, "DigestValue") || next_element(value->next) != NULL)
		INVALID("DataObjectReference %s must hold DigestMethod and DigestValue", ref->uri);
	alg = xmldoc_attr(method, "Algorithm");
	if (alg == NULL || strcmp(alg, MANIFEST_SHA256) != 0) {
		free(alg);
		INVALID("DataObjectReference %s: digest algorithm must be SHA-256", ref->uri);
	}
	free(alg);
	text = xmlNodeGetContent(value);
	n = text != NULL ? dgst_b64_decode((const char *)text, ref->sha256, sizeof(ref->sha256))
	                 : -1;
	xmlFree(text);
	if (n != (long)sizeof(ref->sha256))
		INVALID("DataObjectReference %s: DigestValue is not a base64 SHA-256", ref->uri);
	return MANIFEST_OK;
}

static manifest_rc read_manifest(xmlNodePtr root, manifest *m, char *detail, size_t detail_len)
{
	size_t n = 0;
	manifest_rc rc;

	if (!in_ns(root, MANIFEST_ASIC_NS, "ASiCManifest"))
		INVALID("root element must be asic:ASiCManifest in %s", MANIFEST_ASIC_NS);
	/* counted first: the array is allocated once, never grown */
	for (xmlNodePtr c = next_element(root->children); c != NULL; c = next_element(c->next))
		n += in_ns(c, MANIFEST_ASIC_NS, "DataObjectReference");
	if ((m->refs = calloc(n ? n : 1, sizeof(*m->refs))) == NULL)
		return MANIFEST_ERR_NOMEM;
	for (xmlNodePtr c = next_element(root->children); c != NULL; c = next_element(c->next)) {
		if (in_ns(c, MANIFEST_ASIC_NS, "SigReference")) {
			if (m->sig_uri != NULL)
				INVALID("more than one SigReference");
			if ((m->sig_uri = xmldoc_attr(c, "URI")) == NULL)
				INVALID("SigReference without URI");
			continue;
		}
		if (!in_ns(c, MANIFEST_ASIC_NS, "DataObjectReference"))
			INVALID("unexpected element %s (line %ld)", (const char *)c->name,
			        xmlGetLineNo(c));
		if ((rc = read_ref(c, &m->refs[m->nrefs++], detail, detail_len)) != MANIFEST_OK)
			return rc;
		for (size_t i = 0; i + 1 < m->nrefs; i++)
			if (strcmp(m->refs[i].uri, m->refs[m->nrefs - 1].uri) == 0)
				INVALID("%s is listed twice", m->refs[i].uri);
	}
	if (m->sig_uri == NULL)
		INVALID("no SigReference");
	if (m->nrefs == 0)
		INVALID("no DataObjectReference");
	return MANIFEST_OK;
}

manifest_rc manifest_parse(const void *xml, size_t len, manifest **out, char *detail,
                           size_t detail_len)
{
	manifest_rc rc = MANIFEST_ERR_NOMEM;
	xmlDocPtr doc = NULL;
	manifest *m = NULL;
	xmldoc_rc xr = xmldoc_parse(xml, len, "ASiCManifest.xml", &doc, detail, detail_len);

	*out = NULL;
	if (xr != XMLDOC_OK) {
		rc = xr == XMLDOC_ERR_NOMEM ? MANIFEST_ERR_NOMEM : MANIFEST_ERR_INVALID;
		goto out;
	}
	if ((m = calloc(1, sizeof(*m))) == NULL)
		goto out;
	if ((rc = read_manifest(xmlDocGetRootElement(doc), m, detail, detail_len)) != MANIFEST_OK)
		goto out;
	*out = m;
	m = NULL;
out:
	manifest_free(m);
	xmlFreeDoc(doc);
	return rc;
}

static int add_ref(xmlNodePtr root, xmlNsPtr asic, xmlNsPtr ds, const manifest_ref *ref)
{
	char *b64 = dgst_b64_encode(ref->sha256, sizeof(ref->sha256));
	xmlNodePtr node = xmlNewChild(root, asic, xstr("DataObjectReference"), NULL);
	xmlNodePtr method = node ? xmlNewChild(node, ds, xstr("DigestMethod"), NULL) : NULL;
	int ok = 0;

	if (b64 == NULL || method == NULL)
		goto out;
	/* xmlNewTextChild escapes the text: URIs come from file names */
	if (xmlNewTextChild(node, ds, xstr("DigestValue"), xstr(b64)) == NULL)
		goto out;
	ok = xmlNewProp(node, xstr("URI"), xstr(ref->uri)) != NULL &&
	     (ref->mime == NULL || xmlNewProp(node, xstr("MimeType"), xstr(ref->mime))) &&
	     xmlNewProp(method, xstr("Algorithm"), xstr(MANIFEST_SHA256)) != NULL;
out:
	free(b64);
	return ok;
}

manifest_rc manifest_write(const manifest *m, unsigned char **xml, size_t *len)
{
	manifest_rc rc = MANIFEST_ERR_NOMEM;
	xmlDocPtr doc = xmlNewDoc(xstr("1.0"));
	xmlNodePtr root = doc ? xmlNewNode(NULL, xstr("ASiCManifest")) : NULL;
	xmlNsPtr asic, ds;
	xmlChar *buf = NULL;
	int n = 0;

	if (root == NULL)
		goto out;
	xmlDocSetRootElement(doc, root);
	asic = xmlNewNs(root, xstr(MANIFEST_ASIC_NS), xstr("asic"));
	ds = xmlNewNs(root, xstr(MANIFEST_DS_NS), xstr("ds"));
	if (asic == NULL || ds == NULL)
		goto out;
	xmlSetNs(root, asic);
	xmlNodePtr sig = xmlNewChild(root, asic, xstr("SigReference"), NULL);
	if (sig == NULL || xmlNewProp(sig, xstr("URI"), xstr(m->sig_uri)) == NULL ||
	    xmlNewProp(sig, xstr("MimeType"), xstr("application/x-pkcs7-signature")) == NULL)
		goto out;
	for (size_t i = 0; i < m->nrefs; i++)
		if (!add_ref(root, asic, ds, &m->refs[i]))
			goto out;
	xmlDocDumpFormatMemoryEnc(doc, &buf, &n, "UTF-8", 1);
	if (buf == NULL || (*xml = malloc((size_t)n)) == NULL)
		goto out;
	memcpy(*xml, buf, (size_t)n);
	*len = (size_t)n;
	rc = MANIFEST_OK;
out:
	xmlFree(buf);
	xmlFreeDoc(doc);
	return rc;
}
