/* errors.c — the table of stable error codes (errors.h): each code once,
 * with its HTTP status, its catalogue key and its default messages. A new
 * code is added here first, then to README.md ("Error codes"); the unit
 * tests fail until both agree with every code the sources emit. Must not:
 * hold a second status for a code, or a message that quotes a request (the
 * detail of a refusal is written where it happens). */
#include "core/errors.h"

#include "core/util/log.h"

#include <assert.h>
#include <string.h>

/* code, status, Japanese, English; the key is "error." code */
#define ERR(code, status, ja, en)                   \
	{                                           \
		code, status, "error." code, ja, en \
	}

static const err_def table[] = {
        /* requests: routing, bodies, origin, rate, the server itself */
        ERR("not_found", 404, "指定されたものは見つかりません。", "No such resource."),
        ERR("method_not_allowed", 405, "この操作はこのリソースでは使えません。",
            "This method is not allowed on this resource."),
        ERR("body_not_allowed", 400, "このリソースにはリクエスト本文を送らないでください。",
            "This resource takes no request body."),
        ERR("body_invalid", 400,
            "リクエスト本文が、このリソースの求める JSON オブジェクトになっていません。",
            "The request body is not the JSON object this resource expects."),
        ERR("query_invalid", 400, "クエリパラメータの値が正しくないか、範囲を超えています。",
            "A query parameter is malformed or out of range."),
        ERR("unsupported_media_type", 415,
            "リクエストの Content-Type が、このリソースで受け付ける形式ではありません。",
            "The request's Content-Type is not one this resource accepts."),
        ERR("body_too_large", 413,
            "送信された内容が上限（JSON は 64 KiB、画面のフォームは 512 KiB）を超えています。",
            "The request body exceeds its limit (64 KiB for JSON, 512 KiB for a page's form)."),
        ERR("form_invalid", 400,
            "フォームの内容を読み取れませんでした（同じ項目が二度ある、ファイルが添付されている、"
            "文字コードが UTF-8 でない、など）。",
            "The form could not be read (a field sent twice, a file attached, text that is not "
            "UTF-8, or the like)."),
        ERR("csrf_invalid", 403,
            "このフォームは有効期限が切れているか、別の画面のものです。ページを開き直してから、"
            "もう一度送信してください。",
            "This form has expired or belongs to another page: open the page again and send it "
            "once more."),
        ERR("draft_invalid", 400,
            "下書きに、この質問票にない項目か、その項目では選べない値が含まれています。",
            "The draft holds an item this questionnaire does not have, or a value that item "
            "cannot take."),
        ERR("cross_origin_refused", 403,
            "変更を伴う操作は、このサーバー自身の画面から行ってください。",
            "Changes must be made from this server's own pages."),
        ERR("forbidden", 403, "この操作は管理者のみが行えます。",
            "This resource is for administrators."),
        ERR("rate_limited", 429,
            "リクエストが多すぎます。しばらく待ってから、もう一度お試しください。",
            "Too many requests: please try again later."),
        ERR("crl_stale", 503,
            "サーバーの証明書失効リスト (CRL) "
            "の有効期限が切れているため、現在どなたも接続できません。"
            "委託元のシステム管理者にご連絡ください。",
            "The server's certificate revocation list has expired, so no certificate can be "
            "checked: please tell the entrusting company's administrator."),
        ERR("too_many_uploads", 429,
            "この組織から同時に送信できるパッケージの数を超えています。送信中のものが終わってから、"
            "もう一度お試しください。",
            "This organisation is already sending as many packages at once as it may: please "
            "try again when one is done."),
        ERR("server_busy", 503,
            "サーバーがほかのアップロードを処理中です。1 "
            "分ほど待ってから、もう一度お試しください。",
            "The server is busy with other uploads: please try again in a minute."),
        ERR(ERR_DB_UNAVAILABLE, 503,
            "データベースに接続できません。しばらく待ってから、もう一度お試しください。",
            "The database cannot be reached: please try again in a moment."),
        ERR(ERR_INTERNAL, 500,
            "サーバーでエラーが発生しました。時間をおいてもう一度お試しください。続く場合は委託元に"
            "お問い合わせください。",
            "The server failed. Please try again later; if it persists, contact the entrusting "
            "company."),

        /* identity: the client certificate of the request */
        ERR("cert_required", 401, "クライアント証明書が必要です。",
            "A client certificate is required."),
        ERR("cert_invalid", 401, "クライアント証明書を読み取れません。",
            "The client certificate cannot be read."),
        ERR("cert_untrusted", 401,
            "クライアント証明書が、信頼された認証局から発行されたものではありません。",
            "The client certificate is not issued by a trusted CA."),
        ERR("cert_expired", 401,
            "クライアント証明書の有効期限が切れているか、まだ有効期間が始まっていません。",
            "The client certificate has expired or is not yet valid."),
        ERR("cert_revoked", 401, "クライアント証明書は失効しています。",
            "The client certificate has been revoked."),
        ERR("cert_usage", 401, "このクライアント証明書はクライアント認証に使えません。",
            "The client certificate is not for client authentication."),
        ERR("cert_weak_key", 401,
            "クライアント証明書の鍵が ECDSA P-256 または RSA 2048〜16384 ビットではありません。",
            "The client certificate's key is not ECDSA P-256 or RSA 2048 to 16384 bits."),
        ERR("cert_unregistered", 403, "クライアント証明書がどの組織にも登録されていません。",
            "The client certificate is not registered to an organisation."),

        /* the answer package, in the order it is verified (README.md) */
        ERR("package_too_large", 413, "パッケージがサイズの上限を超えています。",
            "The package exceeds the size limit."),
        ERR("package_not_zip", 422, "パッケージが ZIP 形式ではありません。",
            "The package is not a ZIP container."),
        ERR("zip_ambiguous", 422,
            "パッケージの ZIP 構造が、どの ZIP ソフトでも同じに読める形になっていません。itaku "
            "pack で作り直してください。",
            "The ZIP container is not laid out the one way every ZIP reader reads alike: "
            "make it again with itaku pack."),
        ERR("zip_corrupt", 422, "ZIP ファイルが壊れているか、内容に矛盾があります。",
            "The ZIP container is damaged or inconsistent."),
        ERR("zip_unsafe_name", 422,
            "ZIP 内のファイル名が絶対パスであるか、ZIP の外を指しているか、正しくありません。",
            "A file name in the ZIP container is absolute, leaves the container or is "
            "malformed."),
        ERR("zip_duplicate_name", 422,
            "ZIP 内に同じ名前のファイルが 2 つあります（大文字と小文字は区別しません）。",
            "Two files in the ZIP container have the same name (ignoring case)."),
        ERR("zip_symlink", 422, "ZIP 内にシンボリックリンクが含まれています。",
            "The ZIP container holds a symbolic link."),
        ERR("zip_encrypted", 422,
            "ZIP 内のファイルが暗号化されています。暗号化せずに作成してください。",
            "A file in the ZIP container is encrypted."),
        ERR("zip_too_many_entries", 422, "ZIP 内のファイルが多すぎます。",
            "The ZIP container holds too many files."),
        ERR("zip_too_large_inflated", 422, "ZIP を展開したサイズが上限を超えています。",
            "The ZIP contents exceed the size limit once inflated."),
        ERR("zip_ratio_exceeded", 422, "ZIP 内のファイルの圧縮率が上限を超えています。",
            "A file in the ZIP container exceeds the compression ratio limit."),
        ERR("mimetype_missing", 422, "mimetype ファイルがありません。",
            "The mimetype entry is missing."),
        ERR("mimetype_not_first", 422, "mimetype ファイルが ZIP の先頭にありません。",
            "The mimetype entry is not the first entry."),
        ERR("mimetype_compressed", 422, "mimetype ファイルは圧縮せずに格納してください。",
            "The mimetype entry must be stored uncompressed."),
        ERR("mimetype_wrong", 422,
            "mimetype ファイルの内容が application/vnd.etsi.asic-e+zip ではありません。",
            "The mimetype entry is not application/vnd.etsi.asic-e+zip."),
        ERR("manifest_missing", 422, "マニフェスト（META-INF/ASiCManifest.xml）がありません。",
            "The manifest (META-INF/ASiCManifest.xml) is missing."),
        ERR("manifest_invalid", 422, "マニフェストの形式が正しくありません。",
            "The manifest is not a valid manifest."),
        ERR("signature_missing", 422, "署名（META-INF/signature.p7s）がありません。",
            "The signature (META-INF/signature.p7s) is missing."),
        ERR("signature_invalid", 422, "マニフェストに対する署名を検証できません。",
            "The signature over the manifest does not verify."),
        ERR("signature_algorithm", 422,
            "署名に、使用が認められていないアルゴリズムが使われています。",
            "The signature uses an algorithm that is not allowed."),
        ERR("signature_not_cades", 422, "署名が CAdES-BES 形式ではありません。",
            "The signature is not a CAdES-BES signature."),
        ERR("signer_untrusted", 422, "署名者の証明書が、信頼された認証局につながっていません。",
            "The signer certificate does not chain to a trusted CA."),
        ERR("signer_expired", 422,
            "署名者の証明書の有効期限が切れているか、まだ有効期間が始まっていません。",
            "The signer certificate has expired or is not yet valid."),
        ERR("signer_revoked", 422, "署名者の証明書は失効しています。",
            "The signer certificate has been revoked."),
        ERR("signer_usage", 422, "署名者の証明書はパッケージの署名に使えません。",
            "The signer certificate is not allowed to sign packages."),
        ERR("signer_weak_key", 422,
            "署名者の鍵が ECDSA P-256 または RSA 2048〜16384 ビットではありません。",
            "The signer key is not ECDSA P-256 or RSA 2048 to 16384 bits."),
        ERR("manifest_file_missing", 422,
            "マニフェストに記載されたファイルがパッケージにありません。",
            "The manifest lists a file the package does not contain."),
        ERR("digest_mismatch", 422, "ファイルの内容がマニフェストのダイジェスト値と一致しません。",
            "A file does not match its digest in the manifest."),
        ERR("file_unlisted", 422, "マニフェストに記載されていないファイルがパッケージにあります。",
            "The package contains a file the manifest does not list."),
        ERR("answers_missing", 422, "answers.xml がないか、署名の対象になっていません。",
            "answers.xml is missing or not signed."),
        ERR("answers_malformed", 422, "answers.xml が XML として正しい形式ではありません。",
            "answers.xml is not well-formed XML."),
        ERR("answers_dtd_forbidden", 422, "answers.xml に DOCTYPE や実体宣言を含めないでください。",
            "answers.xml must not contain a DOCTYPE or entities."),
        ERR("answers_schema_invalid", 422, "answers.xml が回答のスキーマに合っていません。",
            "answers.xml does not conform to the answers schema."),
        ERR("answers_duplicate_item", 422, "answers.xml で同じ設問に 2 回回答しています。",
            "answers.xml answers the same item twice."),
        ERR("answers_organisation_invalid", 422,
            "answers.xml に記載された組織 ID が正しくありません。",
            "answers.xml names an invalid organisation id."),
        ERR("answers_subcontractor_self", 422,
            "answers.xml で、回答する組織自身を再委託先として申告しています。",
            "answers.xml declares the respondent as its own subcontractor."),
        ERR("answers_subcontractor_invalid", 422,
            "再委託先の法人番号または ID が正しくありません。",
            "A subcontractor's Corporate Number or id is invalid."),
        ERR("answers_subcontractor_duplicate", 422,
            "answers.xml で同じ再委託先を 2 回申告しています。",
            "answers.xml declares the same subcontractor twice."),
        ERR("evidence_missing", 422, "answers.xml が参照する証跡ファイルがパッケージにありません。",
            "answers.xml references evidence the package does not hold."),

        /* the package bound to its uploader and assignment */
        ERR("signer_unregistered", 403, "署名者の証明書がどの組織にも登録されていません。",
            "The signer certificate is not registered to any organisation."),
        ERR("signer_org_mismatch", 403,
            "パッケージが、アップロードした組織とは別の組織によって署名されています。",
            "The package is signed by another organisation than the uploader."),
        ERR("answers_org_mismatch", 403,
            "answers.xml が、アップロードした組織とは別の組織についての回答になっています。",
            "answers.xml is about another organisation than the uploader."),
        ERR("campaign_required", 422,
            "answers.xml "
            "に調査と割り当てのノンスが記載されていません。割り当てのテンプレートから作成し"
            "てください。",
            "answers.xml must name the campaign and quote the assignment's nonce: start from the "
            "assignment's template."),
        ERR("not_assigned", 403, "この調査では、貴社への割り当てがありません。",
            "Your organisation has no assignment in that campaign."),
        ERR("campaign_closed", 409, "この調査は締め切られています。", "The campaign is closed."),
        ERR("nonce_mismatch", 422,
            "回答に記載されたノンスが、割り当てのものと一致しません。最新のテンプレートを取得してく"
            "ださい。",
            "The answers do not quote the assignment's nonce: fetch its current template."),
        ERR("nonce_reused", 409,
            "このノンスは受理済みの版ですでに使われています。割り当ての最新のテンプレートを取得して"
            "ください。",
            "The nonce was used by an accepted version already: fetch the assignment's current "
            "template."),
        ERR("questionnaire_version_mismatch", 422,
            "回答の質問票のバージョンが、調査の質問票と異なります。",
            "The answers are for another questionnaire version than the campaign's."),
        ERR("answers_missing_items", 422, "質問票に未回答の設問があります。",
            "Items of the questionnaire are not answered."),
        ERR("answers_unknown_items", 422, "割り当ての質問票にない設問への回答が含まれています。",
            "Answered items are not in the assignment's questionnaire."),
        ERR("na_not_allowed", 422, "「該当なし」（na）を選べない設問で選んでいます。",
            "\"na\" (not applicable) is not allowed for an item."),
        ERR("na_with_subcontractors", 422,
            "再委託先を申告している回答では、業務委託に関する設問で「該当なし」（na）を選べません"
            "。",
            "\"na\" (not applicable) on the outsourcing item is allowed only in answers that "
            "declare no subcontractor."),

        /* campaigns, contacts, re-entrustment */
        ERR("invalid_field", 422, "入力された値が正しくありません。", "A field is invalid."),
        ERR("questionnaire_unknown", 422, "指定された質問票またはそのバージョンはありません。",
            "No such questionnaire or version."),
        ERR("variant_unknown", 422, "質問票にその種別（バリアント）はありません。",
            "The questionnaire has no such variant."),
        ERR("organisation_unknown", 422, "その組織は登録されていません。",
            "No such organisation is registered."),
        ERR("due_past", 422,
            "回答期限が過去の日付です。過去の日付にする場合は、そのことを確認してください"
            "(force)。",
            "The due date is in the past: confirm it (force) to set a past date."),
        ERR("already_assigned", 409, "その組織には、この調査の割り当てがすでにあります。",
            "The organisation has an assignment in the campaign already."),
        ERR("contact_exists", 409, "この連絡先はすでに登録されています。",
            "The organisation has this contact already."),
        ERR("edge_not_found", 404, "指定された再委託の関係はありません。",
            "No such onward subcontracting relationship."),
        ERR("approval_not_required", 422, "この再委託には承認が必要ありません。",
            "This onward subcontracting needs no approval."),
        ERR("approval_changed", 409,
            "この再委託で渡されるデータが、確認された内容から変わっています。画面を開き直し、"
            "いまの内容を確かめてから承認してください。",
            "The onward subcontracting now passes on other data than was shown: open the page "
            "again "
            "and approve what it passes on now."),

        /* desirable levels by campaign and group */
        ERR("desirable_item_unknown", 422, "この調査の質問票に、その設問はありません。",
            "The campaign's questionnaire has no such item."),
        ERR("desirable_section_unknown", 422, "この調査の質問票に、その分野はありません。",
            "The campaign's questionnaire has no such section."),
        ERR("desirable_level_invalid", 422,
            "望ましい水準は 1 から 5 の数字一桁か、既定値に戻す default で指定してください。",
            "A desirable level is one digit from 1 to 5, or default to go back to the inherited "
            "one."),
        ERR("group_invalid", 422,
            "グループ名は英数字で始まる 32 文字以内の英数字・「_」・「-」で指定してください。",
            "A group name is up to 32 letters, digits, \"_\" or \"-\", starting with a letter or "
            "digit."),
        ERR("group_unknown", 422,
            "この調査に、そのグループに属する組織はありません。先に組織をグループに入れてく"
            "ださい。",
            "No organisation of the campaign is in that group: put one in it first."),

        /* the dashboard's printable report */
        ERR("pdf_unavailable", 503,
            "このサーバーには PDF を作る Chromium がありません。報告書のページを開き、ブラウザーの"
            "印刷機能で PDF として保存してください。",
            "This server has no Chromium to make the PDF: open the report page and save it as "
            "PDF with your browser's print."),
        ERR("pdf_busy", 503, "ほかの PDF を作成中です。少し待ってから、もう一度お試しください。",
            "Another PDF is being made: please try again in a moment."),
        ERR("pdf_failed", 500,
            "PDF を作成できませんでした。報告書のページを開き、ブラウザーの印刷機能で PDF として"
            "保存してください。",
            "The PDF could not be made: open the report page and save it as PDF with your "
            "browser's print."),

        /* invitations and enrolment */
        ERR("not_declared", 422,
            "この調査で、その組織を再委託先として申告している組織はありません。委託元が自社の"
            "委託先として招待するときは、組織名も指定してください。",
            "Nobody in the campaign declares that organisation as a subcontractor. To invite a "
            "vendor of the entrusting company's own, give its name too."),
        ERR("invite_forbidden", 403,
            "再委託先を招待できるのは、委託元か、調査で認められている場合は申告した組織だけ"
            "です。",
            "Only the entrusting company, or where the campaign allows it the declaring vendor, "
            "invites a subcontractor."),
        ERR("already_registered", 409,
            "その組織はすでに登録されています。登録用トークンは新しい組織の登録にのみ使えます。",
            "The organisation is registered already: enrolment only creates new "
            "organisations."),
        ERR("key_revoked", 409,
            "この鍵の証明書は失効しています。失効した鍵に証明書を発行し直すことはできません。新しい"
            "鍵で証明書署名要求を作成してください。",
            "A certificate of this key was revoked: the key is never certified again. Make a new "
            "key and certificate request."),
        ERR("invitation_pending", 409,
            "その組織には、ほかの組織からの有効な招待がすでにあります。改めて招待できるのは委託元"
            "だけです。",
            "The organisation has a live invitation from someone else: only the entrusting "
            "company may invite it again."),
        ERR("declared_subcontractor", 422,
            "その組織は再委託先として申告されています。組織名を指定せず、申告された名前のまま招待"
            "してください。",
            "The organisation is declared as a subcontractor: invite it without a name, under "
            "its declared one."),
        ERR("key_taken", 409,
            "この鍵は、ほかの組織の証明書で使われています。一つの鍵は一つの組織のものです。"
            "自社で新しい鍵を作成してください。",
            "Another organisation's certificate has this key: one key speaks for one "
            "organisation. Make a key of your own."),
        ERR("token_invalid", 403, "この登録用トークンは無効です。", "No such enrolment token."),
        ERR("token_campaign_mismatch", 403, "この登録用トークンは別の調査のものです。",
            "The enrolment token is for another campaign."),
        ERR("token_used", 409, "この登録用トークンはすでに使われています。",
            "The enrolment token was used already."),
        ERR("token_expired", 410,
            "この登録用トークンは有効期限が切れています。招待した組織に再発行を依頼してください。",
            "The enrolment token has expired: ask whoever invited you for a new one."),
        ERR("csr_invalid", 422, "証明書署名要求（CSR）が、PEM 形式の要求 1 件になっていません。",
            "The certificate request is not one PEM certificate request."),
        ERR("csr_signature_invalid", 422, "証明書署名要求（CSR）の署名を検証できません。",
            "The certificate request's signature does not verify."),
        ERR("csr_key_unsupported", 422,
            "証明書署名要求（CSR）の鍵は、ECDSA P-256 または 2048 ビット以上の RSA "
            "にしてください。",
            "The certificate request's key must be ECDSA P-256 or RSA of 2048 bits or more."),
        ERR("csr_subject_mismatch", 422,
            "証明書署名要求（CSR）のサブジェクトの serialNumber を、招待された組織の ID "
            "にしてください。",
            "The certificate request's subject serialNumber must be the invited organisation's "
            "id."),

        /* storage of an accepted package */
        ERR("storage_full", 507,
            "サーバーの保存領域がいっぱいのため、パッケージを保存できませんでした。委託元にお知らせ"
            "ください。",
            "The server's storage is full: the package was not stored."),
        ERR("storage_error", 500,
            "パッケージを保存できませんでした。時間をおいてもう一度お試しください。",
            "The package could not be stored: please try again later."),
        ERR("receipt_failed", 500,
            "受領証を発行できなかったため、パッケージは受理されていません。時間をおいてもう一度お試"
            "しください。",
            "The receipt could not be signed, so the package was not accepted: please try again "
            "later."),

        /* reading back what was submitted (core/readback.h) */
        ERR("evidence_path_invalid", 400,
            "証跡ファイルの名前が正しくありません（「.."
            "」、空の区切り、使えない文字、長すぎる名前など）。",
            "The evidence file name is not a valid package path (\"..\", an empty segment, a "
            "forbidden character, too long, or the like)."),
        ERR("evidence_not_found", 404,
            "この提出の署名済みマニフェストに、その名前の証跡ファイルはありません（名前は大文字・"
            "小文字も含めて一致する必要があります）。",
            "The submission's signed manifest lists no evidence file of that name (names must "
            "match exactly, case included)."),
        ERR("storage_corrupt", 500,
            "保存されているパッケージが見つからないか、受理したときの内容と一致しません。委託元の管"
            "理者"
            "にお知らせください（itaku fsck）。",
            "The stored package is missing or no longer the bytes accepted: tell the "
            "administrator (itaku fsck)."),

        /* `itaku pack` only (never an answer of the server) */
        ERR("io_error", 500, "ファイルを読み書きできませんでした。",
            "A file could not be read or written."),
        ERR("sign_failed", 500, "パッケージに署名できませんでした。",
            "The package could not be signed."),
};

const err_def *err_find(const char *code)
{
	for (size_t i = 0; code != NULL && i < sizeof(table) / sizeof(table[0]); i++)
		if (strcmp(table[i].code, code) == 0)
			return &table[i];
	return NULL;
}

const err_def *err_lookup(const char *code)
{
	const err_def *e = err_find(code);
	/* every code the sources emit is in the table (tests/lint/errors.py,
	 * tests/unit/core/test_errors.c): one that is not is a bug */
	assert(e != NULL && "error code missing from core/errors.c");
	if (e == NULL) {
		log_error("error code \"%.64s\" is not in the error table", code ? code : "(null)");
		e = err_find(ERR_INTERNAL);
	}
	return e;
}

unsigned err_status(const char *code)
{
	return err_lookup(code)->status;
}

const char *err_text(const err_def *e, const char *lang)
{
	return lang != NULL && strcmp(lang, "ja") == 0 ? e->ja : e->en;
}

const err_def *err_table(size_t *n)
{
	*n = sizeof(table) / sizeof(table[0]);
	return table;
}
