/* i18n.c — the catalogue of the portal's texts and the choice of language.
 * Owns every sentence a page shows; pages name keys, never sentences.
 * Error codes' explanations are not here but in the one error table
 * (core/errors.c), which the API, the mails and the pages share. */
#include "core/web/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct msg {
	const char *key;
	const char *ja;
	const char *en;
} msg;

/* Polite Japanese (です・ます) for a vendor's staff member who may not work
 * in IT; plain English. */
static const msg catalogue[] = {
        {"app.name", "itaku セキュリティ調査", "itaku security questionnaires"},
        {"header.org", "ログイン中の組織", "Signed in as"},
        {"header.lang", "表示言語", "Language"},
        {"footer.text", "この画面はご利用の組織のクライアント証明書で本人確認しています。",
         "This page knows who you are from your organisation's client certificate."},
        {"home.title", "依頼されている調査", "Questionnaires asked of you"},
        {"home.intro", "委託元から回答を依頼されている調査の一覧です。期限までに回答してください。",
         "These are the questionnaires your customers asked you to answer. Please answer "
         "them by their due dates."},
        {"home.none", "現在、依頼されている調査はありません。",
         "No questionnaire is asked of your organisation at the moment."},
        {"col.campaign", "調査", "Campaign"},
        {"col.questionnaire", "質問票", "Questionnaire"},
        {"col.due", "回答期限", "Due"},
        {"col.status", "状況", "Status"},
        {"col.latest", "最新の回答", "Latest answer"},
        {"col.actions", "操作", "Actions"},
        {"due.days_left", "あと {n} 日", "{n} days left"},
        {"due.today", "本日が期限です", "due today"},
        {"due.days_over", "{n} 日超過", "{n} days overdue"},
        {"due.closed", "受付終了", "closed"},
        {"status.not_started", "未着手", "Not started"},
        {"status.submitted", "差し戻し(受理されませんでした)", "Refused"},
        {"status.accepted", "受理済み", "Accepted"},
        {"status.overdue", "期限超過", "Overdue"},
        {"status.refused_reason", "理由: ", "Reason: "},
        {"latest.none", "まだありません", "none yet"},
        {"latest.version", "受付番号 {n}", "Submission {n}"},
        {"action.template", "回答用ファイル (answers.xml) をダウンロード",
         "Download the answers file (answers.xml)"},
        {"action.filled", "入力内容を反映した answers.xml をダウンロード",
         "Download answers.xml with what you entered"},
        {"action.receipt", "受領証をダウンロード", "Download the receipt"},
        {"action.answer", "回答を入力する", "Fill in the answers"},
        {"answer.title", "回答の入力", "Your answers"},
        {"answer.desirable", "望ましい水準: {n}", "Desirable level: {n}"},
        {"answer.na", "該当しない", "Not applicable"},
        {"answer.comment", "コメント(任意)", "Comment (optional)"},
        {"answer.save", "下書きを保存", "Save the draft"},
        {"answer.saved", "下書きを保存しました。", "The draft was saved."},
        {"answer.draft_from",
         "保存された下書きを表示しています。最終保存:", "Showing the saved draft. Last saved:"},
        {"answer.from_accepted",
         "前回受理された回答を元にしています。変更したい項目だけ直してください。",
         "Starting from your last accepted answers: change only what has changed."},
        {"answer.newer_accepted",
         "保存されていた下書きより新しい回答が受理されています。受理された回答を表示しています"
         "(下書きは保存し直すまで使われません)。",
         "A newer version was accepted after the saved draft: showing the accepted answers "
         "(the draft is not used unless saved again)."},
        {"answer.closed", "この調査の受付は終了しています。回答の保存や提出はできません。",
         "This campaign is closed: answers can no longer be saved or submitted."},
        {"answer.subs", "再委託先", "Subcontractors"},
        {"answer.subs_intro",
         "この業務の一部を委託している先(再委託先)を 1 行に 1 社ずつ記入してください。法人番号(13 "
         "桁)または"
         "委託元と取り決めた "
         "ID、名称、委託する業務を入れ、個人情報・機密情報を渡す場合はチェックします。"
         "行を消すには、その行の欄を空にして保存します。再委託先がない場合は空のままにします。",
         "List the companies you pass part of this work on to (subcontractors), one per row: "
         "Corporate Number (13 digits) or the id agreed with your customer, name, the work "
         "passed on; tick whether personal or confidential data is passed on. To remove a "
         "row, empty it and save. Leave the rows empty if there are none."},
        {"answer.missing", "まだ回答していない項目", "Items not answered yet"},
        {"answer.complete", "すべての項目に回答済みです。署名して提出できます。",
         "Every item is answered: you can sign and submit."},
        {"answer.sign_title", "署名して提出する", "Sign and submit"},
        {"answer.sign_cli",
         "保存した下書きを answers.xml "
         "としてダウンロードし、組織の証明書で署名して提出してください。"
         "コマンドで行う場合は次のとおりです。",
         "Download the saved draft as answers.xml, sign it with your organisation's "
         "certificate and submit it. On the command line:"},
        {"history.title", "提出の履歴", "Submission history"},
        {"history.intro", "これまでに提出し、受理された回答の一覧です(新しい順)。",
         "Every version your organisation submitted and had accepted, newest first."},
        {"history.none", "まだ提出はありません。", "Nothing has been submitted yet."},
        {"history.back", "提出の履歴へ戻る", "Back to the history"},
        {"submission.title", "提出した回答", "A submitted version"},
        {"col.submission", "受付番号", "Submission"},
        {"col.received", "受付日時 (UTC)", "Received (UTC)"},
        {"col.version", "版", "Version"},
        {"col.sha256", "SHA-256 ハッシュ値", "SHA-256"},
        {"col.receipt", "受領証", "Receipt"},
        {"col.item", "項目", "Item"},
        {"col.level", "水準", "Level"},
        {"nav.home", "依頼されている調査", "Questionnaires"},
        {"nav.history", "提出の履歴", "History"},
        {"nav.campaigns", "調査一覧", "Campaigns"},
        {"nav.organisations", "取引先", "Organisations"},
        {"nav.audit", "監査ログ", "Audit log"},
        {"sign.title", "ブラウザーで署名して提出する", "Sign and submit in the browser"},
        {"sign.intro",
         "組織の証明書ファイル (.p12) "
         "を選び、パスフレーズを入力してください。上の入力内容から回答ファイルを作り、"
         "このブラウザーの中で署名して提出します。秘密鍵がブラウザーの外に送られることはありません"
         "。",
         "Pick your organisation's certificate file (.p12) and enter its passphrase. The "
         "answers above are signed inside this browser and submitted; the private key never "
         "leaves the browser."},
        {"sign.p12", "証明書ファイル (.p12)", "Certificate file (.p12)"},
        {"sign.pass", "パスフレーズ", "Passphrase"},
        {"sign.submit", "署名して提出", "Sign and submit"},
        {"sign.evidence", "証拠ファイル(任意)", "Evidence files (optional)"},
        {"sign.working", "署名しています…", "Signing…"},
        {"sign.missing", "まだ回答していない項目があります: ", "Items not answered yet: "},
        {"sign.no_file", "証明書ファイル (.p12) を選んでください。",
         "Pick the certificate file (.p12)."},
        {"sign.accepted", "受理されました。受付番号 ", "Accepted. Submission "},
        {"sign.refused", "受理されませんでした: ", "Not accepted: "},
        {"sign.receipt", "受領証をダウンロード", "Download the receipt"},
        {"sign.history", "提出の履歴を見る", "See the history"},
        {"enrol.title", "組織の証明書を作成する", "Create your organisation's certificate"},
        {"enrol.intro",
         "委託元からの招待で、このサービスに参加するための証明書を作成します。鍵はこのブラウザーの"
         "中で作られ、"
         "外に送られることはありません。できあがった証明書ファイル (.p12) "
         "はパスフレーズで保護されます。",
         "Your customer invited your organisation: here you create the certificate that lets "
         "you take part. The key is made inside this browser and never leaves it; the "
         "certificate file (.p12) you get is protected by a passphrase."},
        {"enrol.needs_js",
         "このページでは JavaScript を使います。JavaScript を有効にするか、openssl "
         "で作成した証明書署名要求 "
         "(CSR) を招待した担当者に送ってください。",
         "This page needs JavaScript. Turn it on, or send a certificate signing request made "
         "with openssl to the person who invited you."},
        {"enrol.step", "パスフレーズを決めて作成する", "Choose a passphrase and create it"},
        {"enrol.pass", "パスフレーズ(12 文字以上)", "Passphrase (12 characters or more)"},
        {"enrol.pass2", "パスフレーズ(確認のためもう一度)", "Passphrase (again, to confirm)"},
        {"enrol.submit", "証明書を作成", "Create the certificate"},
        {"enrol.working", "鍵と証明書を作成しています…", "Creating the key and the certificate…"},
        {"enrol.done",
         "証明書ができました。次のリンクからファイルを保存し、下の手順でブラウザーに取り込んでくだ"
         "さい。",
         "The certificate is ready. Save the file from this link and import it into your "
         "browser as described below."},
        {"enrol.download", "証明書ファイル (.p12) を保存", "Save the certificate file (.p12)"},
        {"enrol.refused", "作成できませんでした: ", "It could not be created: "},
        {"enrol.link_bad",
         "招待リンクが完全ではありません。届いたメールのリンクをそのまま開いてください。",
         "The invitation link is incomplete: open the link from the mail exactly as it is."},
        {"enrol.pass_short", "パスフレーズは 12 文字以上にしてください。",
         "The passphrase must have 12 characters or more."},
        {"enrol.pass_differ", "2 つのパスフレーズが一致しません。", "The two passphrases differ."},
        {"enrol.after", "作成したあとに", "Afterwards"},
        {"enrol.keep",
         "保存した .p12 ファイルとパスフレーズは、社内の担当者だけが使える場所に保管してください"
         "(なくすと作り直しが必要です)。",
         "Keep the .p12 file and its passphrase where only your staff can reach them (lost, "
         "they must be made again)."},
        {"enrol.open",
         "取り込んだら、ブラウザーをすべて閉じてから、このサービスのトップページを開いてください。",
         "Once imported, close every browser window and open this service's start page."},
        {"nav.subs", "再委託先", "Subcontractors"},
        {"subs.title", "再委託先", "Your subcontractors"},
        {"subs.intro",
         "回答で申告した再委託先と、その回答状況・委託元の承認状況です("
         "再委託先の回答内容は表示されません)。",
         "The subcontractors you declared in your answers, how far they got and whether "
         "your customer approved them (never their answers)."},
        {"subs.none", "申告した再委託先はありません。", "You declared no subcontractor."},
        {"subs.id", "法人番号・ID", "Corporate Number / id"},
        {"subs.name", "名称", "Name"},
        {"subs.scope", "委託する業務", "Work passed on"},
        {"subs.personal", "個人情報", "Personal data"},
        {"subs.confidential", "機密情報", "Confidential data"},
        {"subs.status", "状況", "Status"},
        {"subs.approval", "委託元の承認", "Approval"},
        {"subs.yes", "あり", "yes"},
        {"subs.no", "なし", "no"},
        {"subs.invite", "招待する", "Invite"},
        {"subs.invited", "招待しました", "Invitation made"},
        {"subs.invited_intro",
         "次のリンクを再委託先の担当者に送ってください。このリンクで証明書を作成して参加できます"
         "(リンクは一度しか表示されません)。",
         "Send this link to your subcontractor: with it they create their certificate and "
         "join (the link is shown only this once)."},
        {"subs.invited_expires", "有効期限 (UTC):", "Valid until (UTC):"},
        {"subs.back", "再委託先の一覧へ戻る", "Back to your subcontractors"},
        {"chain.declared", "申告済み(未招待)", "declared (not invited)"},
        {"chain.pending", "未招待", "not invited"},
        {"chain.invited", "招待済み", "invited"},
        {"chain.assigned", "参加済み・未回答", "joined, not answered"},
        {"chain.answered", "回答済み", "answered"},
        {"chain.overdue", "期限超過", "overdue"},
        {"approval.approved", "承認済み", "approved"},
        {"approval.unapproved", "未承認", "not approved"},
        {"approval.not_required", "不要", "not needed"},
        {"upload.heading", "署名済みのパッケージを提出する", "Submit a package signed elsewhere"},
        {"upload.package", "署名済みパッケージ (.asice)", "Signed package (.asice)"},
        {"upload.submit", "提出", "Submit"},
        {"upload.title", "提出の結果", "Submission result"},
        {"upload.accepted", "受理されました。", "Accepted."},
        {"error.title", "このページを表示できません", "This page cannot be shown"},
        {"error.code", "エラーコード", "Error code"},
        {"error.detail", "詳細(英語)", "Detail"},
        {"error.home", "トップページへ戻る", "Back to the start page"},
        {"error.not_found", "お探しのページは見つかりませんでした。",
         "There is no page at this address."},
        {"error.generic",
         "リクエストを処理できませんでした。しばらくしてからもう一度お試しください。",
         "The request could not be handled. Please try again later."},
        {"cert.title", "クライアント証明書が必要です", "A client certificate is needed"},
        {"cert.missing",
         "このサービスは、委託元から発行された組織のクライアント証明書で本人確認をします。"
         "ブラウザーから証明書が送られてきませんでした。",
         "This service recognises your organisation by the client certificate your "
         "customer issued to it. Your browser did not send one."},
        {"cert.unregistered", "ブラウザーから送られた証明書は、このサービスに登録されていません。",
         "The certificate your browser sent is not registered with this service."},
        {"cert.expired", "ブラウザーから送られた証明書は有効期限が切れています。",
         "The certificate your browser sent has expired."},
        {"cert.revoked", "ブラウザーから送られた証明書は失効しています。",
         "The certificate your browser sent has been revoked."},
        {"cert.invalid",
         "ブラウザーから送られた証明書は、このサービスでは使えません(発行元または用途が異なります)"
         "。",
         "The certificate your browser sent cannot be used here (another issuer or "
         "another purpose)."},
        {"cert.what_to_do", "どうすればよいですか", "What to do"},
        {"cert.ask",
         "証明書をお持ちでない場合は、調査を依頼した委託元の担当者に招待(登録用リンク)を"
         "依頼してください。",
         "If you have no certificate, ask the person at your customer who sent the "
         "questionnaire for an invitation (an enrolment link)."},
        {"cert.import",
         "証明書ファイル (.p12) をお持ちの場合は、ブラウザーに取り込んでから、ブラウザーを"
         "すべて閉じて開き直してください。",
         "If you have the certificate file (.p12), import it into your browser, then "
         "close every browser window and open this page again."},
        {"cert.chrome",
         "Chrome・Edge: 設定 → プライバシーとセキュリティ → セキュリティ → 証明書の管理 → "
         "個人 → インポート で .p12 ファイルを選び、パスフレーズを入力します。",
         "Chrome and Edge: Settings → Privacy and security → Security → Manage "
         "certificates → Personal (Your certificates) → Import, pick the .p12 file and "
         "enter its passphrase."},
        {"cert.firefox",
         "Firefox: 設定 → プライバシーとセキュリティ → 証明書 → 証明書を表示 → あなたの証明書 → "
         "インポート で .p12 ファイルを選び、パスフレーズを入力します。",
         "Firefox: Settings → Privacy & Security → Certificates → View Certificates → "
         "Your Certificates → Import, pick the .p12 file and enter its passphrase."},
        {"cert.choose", "証明書を選ぶ画面が表示されたら、組織名の入った証明書を選んでください。",
         "When the browser asks which certificate to use, pick the one with your "
         "organisation's name."},
        /* the dashboard: campaigns, overview, heatmap */
        {"dash.campaigns", "調査の一覧", "Campaigns"},
        {"dash.campaigns_intro",
         "委託先に依頼している調査の一覧です。進捗、回答期限、操作("
         "組織の割り当て、期限の変更、締め切り)をここから行えます。",
         "The questionnaires you asked of your vendors: progress, due dates, and the actions "
         "(assign organisations, change the due date, close)."},
        {"dash.state", "受付", "State"},
        {"dash.open", "受付中", "open"},
        {"dash.closed", "締め切り済み", "closed"},
        {"dash.progress", "進捗", "Progress"},
        {"dash.progress_of", "進捗(割り当て {n} 件)", "Progress ({n} assigned)"},
        {"dash.refused", "差し戻し", "Refused"},
        {"dash.accepted_of", "受理済み {n}", "{n} accepted"},
        {"dash.assigned", "割り当て", "Assigned"},
        {"dash.overview", "調査の概要", "Campaign overview"},
        {"des.title", "望ましい水準", "Desirable levels"},
        {"des.back", "調査の概要に戻る", "Back to the campaign's overview"},
        {"des.intro",
         "設問ごとに、いま適用されている望ましい水準とその出どころ（既定値、調査、グループ"
         "。"
         "設問に設定したものか分野に設定したものか）を示します。優先順位は、グループの設問、グルー"
         "プの分野、"
         "調査の設問、調査の分野、質問票の既定値の順です。変更すると、回答や受領証"
         "はそのまま"
         "に、望ましい水準との差と未達の数が計算し直され、監査ログに記録されます。",
         "Per item, the desirable level in force and where it comes from (the default, the "
         "campaign, a group; set on the item or on its section). The first of these counts: the "
         "group's item, the group's section, the campaign's item, the campaign's section, the "
         "questionnaire's default. A change leaves answers and receipts as they are, recomputes "
         "the gaps and below counts, and is recorded in the audit log."},
        {"des.default", "既定値", "Default"},
        {"des.campaign", "調査全体", "The whole campaign"},
        {"des.group", "グループ", "Group"},
        {"des.origin_default", "既定値", "default"},
        {"des.origin_campaign", "調査", "campaign"},
        {"des.origin_group", "グループ", "group"},
        {"des.on_item", "設問", "item"},
        {"des.on_section", "分野", "section"},
        {"des.set", "望ましい水準を設定する", "Set a desirable level"},
        {"des.set_do", "設定する", "Set"},
        {"des.field_group", "グループ（空欄は調査全体）", "Group (empty: the whole campaign)"},
        {"des.field_item", "設問（例: 1.1）", "Item (1.1)"},
        {"des.field_section", "分野（例: 1）", "Section (1)"},
        {"des.field_level", "水準", "Level"},
        {"des.level_default", "既定に戻す", "back to what it inherits"},
        {"des.group_set", "組織をグループに入れる", "Put an organisation into a group"},
        {"des.group_intro",
         "グループは、そこに入る組織があるときにだけ水準を設定できます。グループを空欄にすると、そ"
         "の組織は"
         "どのグループにも属さなくなります。",
         "A group can have levels of its own once an organisation is in it. An empty group takes "
         "the organisation out of its group."},
        {"des.group_do", "グループを変更する", "Change the group"},
        {"des.field_org", "組織", "Organisation"},
        {"des.no_group", "（グループなし）", "(no group)"},
        {"des.closed", "締め切られた調査の水準は変更できません。",
         "The levels of a closed campaign cannot be changed."},
        {"dash.heatmap", "ヒートマップ", "Heatmap"},
        {"dash.assign", "組織を割り当てる", "Assign organisations"},
        {"dash.assign_do", "選んだ組織を割り当てる", "Assign the ticked organisations"},
        {"dash.close", "締め切る", "Close"},
        {"dash.due_new", "新しい回答期限", "New due date"},
        {"dash.due_force", "過去の日付でも変更する", "Allow a date in the past"},
        {"dash.due_change", "回答期限を変更する", "Change the due date"},
        {"dash.create", "新しい調査", "New campaign"},
        {"dash.create_do", "調査を作成する", "Create the campaign"},
        {"dash.name", "名称", "Name"},
        {"dash.vendor_invites", "委託先が再委託先を招待できる",
         "Vendors may invite their subcontractors"},
        {"dash.variant_note",
         "質問票の種別(バリアント)は、組織を割り当てるときに組織ごとに選びます。",
         "The questionnaire's variant is chosen per organisation when assigning."},
        {"dash.confirm_intro", "次の内容で実行します。よろしければ「実行する」を押してください。",
         "This will be done as follows. Press \"Do it\" to go ahead."},
        {"dash.confirm_do", "実行する", "Do it"},
        {"dash.confirm_cancel", "取り消して戻る", "Cancel and go back"},
        {"dash.search", "組織名または法人番号・ID(先頭)",
         "Organisation name, or the start of its id"},
        {"dash.search_do", "検索", "Search"},
        {"dash.found", "{n} 件の組織が見つかりました。", "{n} organisations found."},
        {"dash.pick", "選択", "Pick"},
        {"dash.variant", "種別", "Variant"},
        {"dash.variant_base", "基本(全設問)", "base (every item)"},
        {"dash.prev", "前へ", "Previous"},
        {"dash.next", "次へ", "Next"},
        {"dash.campaign_links", "この調査の画面", "This campaign's pages"},
        {"dash.chains", "再委託の連鎖", "Onward subcontracting chains"},
        {"dash.report", "印刷用レポート", "Printable report"},
        {"dash.csv", "集計を CSV でダウンロード", "Download the aggregate as CSV"},
        {"dash.ratio", "回答率", "Answered"},
        {"dash.mean_level", "平均水準", "Mean level"},
        {"dash.sd_level", "標準偏差", "Standard deviation"},
        {"dash.total_mean", "合計点の平均", "Mean total"},
        {"dash.timeline", "受理済みの組織数の推移", "Organisations accepted over time"},
        {"dash.sections", "分野別の平均と望ましい水準", "Section means and the desirable level"},
        {"dash.radar", "分野別の平均(レーダーチャート)", "Section means (radar chart)"},
        {"dash.campaign_mean", "調査全体の平均", "Campaign mean"},
        {"dash.desirable", "望ましい水準", "Desirable level"},
        {"dash.section", "分野", "Section"},
        {"dash.answered_by", "回答した組織", "Organisations answering"},
        {"dash.scatter", "階層別の合計点(散布図)", "Totals by tier (scatter)"},
        {"dash.scatter_intro",
         "各組織の合計点を、再委託の階層(1 "
         "は直接の委託先)"
         "ごとに示します。点の大きさは同じ位置の組織数、偏差値は平均水準から求めています。",
         "Each organisation's total by its tier in the chain (1: your direct vendors). A "
         "point's size is how many organisations are there; the deviation value (偏差値) "
         "is of the mean level."},
        {"dash.tier", "階層", "Tier"},
        {"dash.total", "合計点", "Total"},
        {"dash.mean", "平均", "Mean"},
        {"dash.deviation", "偏差値", "Deviation value"},
        {"dash.n_orgs", "{n} 組織", "{n} organisations"},
        {"dash.distribution", "設問ごとの回答の分布", "Answers per item"},
        {"dash.below_count", "望ましい水準未満", "Below desirable"},
        {"dash.below", "望ましい水準に届いていない組織", "Organisations below the desirable level"},
        {"dash.below_intro",
         "望ましい水準に届かない設問がある組織です。平均水準の低い順に並べています。",
         "Organisations with an item below its desirable level, weakest (lowest mean level) "
         "first."},
        {"dash.below_heatmap", "ヒートマップで見る", "See them in the heatmap"},
        {"dash.count", "{n} 組織", "{n} organisations"},
        {"dash.shown_first", "(先頭の {n} 件を表示)", "(the first {n} shown)"},
        {"dash.overdue_list", "期限を過ぎた組織", "Overdue"},
        {"dash.refused_list", "差し戻された組織と理由", "Refused, with the reasons"},
        {"dash.reason", "理由", "Reason"},
        {"dash.organisation", "組織", "Organisation"},
        {"heat.all", "すべて", "all"},
        {"heat.apply", "絞り込む", "Apply"},
        {"heat.below", "望ましい水準未満の設問がある組織のみ",
         "Only those below the desirable level"},
        {"heat.sort", "組織の並び順", "Order of organisations"},
        {"heat.sort_weakest", "平均水準の低い順", "weakest first"},
        {"heat.sort_id", "法人番号・ID 順", "by id"},
        {"heat.sort_item", "選んだ設問の水準の低い順", "by the chosen item, lowest first"},
        {"heat.item", "並べ替える設問", "Item to sort by"},
        {"heat.cols", "設問の並び順", "Order of items"},
        {"heat.cols_questionnaire", "質問票の順", "as in the questionnaire"},
        {"heat.cols_weakest", "平均の低い設問から", "weakest item first"},
        {"heat.na", "対象外", "n/a"},
        {"heat.pages", "ページ", "Pages"},
        {"heat.legend", "凡例", "Legend"},
        {"heat.legend_lv1", "水準 1", "level 1"},
        {"heat.legend_lv2", "水準 2", "level 2"},
        {"heat.legend_lv3", "水準 3", "level 3"},
        {"heat.legend_lv4", "水準 4", "level 4"},
        {"heat.legend_lv5", "水準 5", "level 5"},
        {"heat.legend_lv0", "該当しない(na)", "not applicable (na)"},
        {"heat.legend_lvx", "回答なし・対象外の種別", "no answer, or not in the variant"},
        {"heat.legend_below", "▾ 望ましい水準未満(点線の枠)",
         "▾ below the desirable level (dashed frame)"},

        /* the dashboard: organisations, their submissions and evidence */
        {"orgs.title", "取引先", "Organisations"},
        {"orgs.search", "組織名または組織 ID で検索", "Search by name or organisation id"},
        {"orgs.search_go", "検索", "Search"},
        {"orgs.certificates", "有効な証明書", "Valid certificates"},
        {"orgs.created", "登録日時", "Registered"},
        {"orgs.pages", "ページ", "Pages"},
        {"orgs.count", "全 {n} 件", "{n} in all"},
        {"orgs.prev", "前のページ", "Previous page"},
        {"orgs.next", "次のページ", "Next page"},
        {"orgs.none", "登録されている組織はありません。", "No organisation is registered."},
        {"orgs.none_found", "該当する組織はありません。", "No organisation matches."},
        {"org.title", "取引先の詳細", "Organisation"},
        {"org.profile", "基本情報", "Profile"},
        {"org.name", "組織名", "Name"},
        {"org.id", "組織 ID", "Organisation id"},
        {"org.role", "役割", "Role"},
        {"org.role_admin", "委託元（管理者）", "Entrusting company (administrator)"},
        {"org.role_respondent", "委託先（回答者）", "Vendor (respondent)"},
        {"org.contacts", "連絡先", "Contacts"},
        {"org.contact_name", "氏名", "Name"},
        {"org.contact_email", "メールアドレス", "Mail address"},
        {"org.contact_lang", "言語", "Language"},
        {"org.no_contacts", "連絡先は登録されていません。", "No contact is registered."},
        {"org.certificates", "クライアント証明書", "Client certificates"},
        {"org.cert_subject", "サブジェクト", "Subject"},
        {"org.cert_issuer", "発行者", "Issuer"},
        {"org.cert_fingerprint", "フィンガープリント（SHA-256）", "Fingerprint (SHA-256)"},
        {"org.cert_not_after", "有効期限", "Expires"},
        {"org.cert_registered", "登録日時", "Registered"},
        {"org.cert_days", "残り {n} 日", "{n} days left"},
        {"org.cert_expired", "期限切れ", "expired"},
        {"org.cert_revoked", "失効済み", "revoked"},
        {"org.no_certificates", "証明書は登録されていません。", "No certificate is registered."},
        {"org.campaigns", "参加している調査", "Campaigns"},
        {"org.no_campaigns", "この組織に割り当てられた調査はありません。",
         "This organisation is assigned to no campaign."},
        {"org.focus_latest", "最新の版（受付番号 {n}）", "latest version (no. {n})"},
        {"org.focus_none", "この組織はこの調査に割り当てられていません。",
         "This organisation is not assigned to this campaign."},
        {"org.last_refusal", "最後に受理されなかった提出:", "Last refused upload:"},
        {"org.submissions", "提出された回答", "Submissions"},
        {"org.back", "組織の一覧へ戻る", "Back to the organisations"},
        {"asub.title", "提出された回答", "Submission"},
        {"asub.summary", "概要", "Summary"},
        {"asub.organisation", "組織", "Organisation"},
        {"asub.size", "サイズ（バイト）", "Size (bytes)"},
        {"asub.items", "回答した項目数", "Items answered"},
        {"asub.package", "パッケージをダウンロード", "Download the package"},
        {"asub.previous", "ひとつ前の版", "The version before"},
        {"asub.verification", "検証の詳細", "Verification"},
        {"asub.signer", "署名者", "Signer"},
        {"asub.issuer", "署名者証明書の発行者", "Signer's issuer"},
        {"asub.fingerprint", "署名者証明書のフィンガープリント", "Signer's fingerprint"},
        {"asub.signer_until", "署名者証明書の有効期限", "Signer's certificate expires"},
        {"asub.signature", "署名の形式", "Signature"},
        {"asub.receipt_at", "受領証（タイムスタンプ）の時刻", "Receipt (time-stamp) time"},
        {"asub.no_receipt", "受領証はありません", "no receipt"},
        {"asub.files", "署名されたファイルとダイジェスト", "Signed files and their digests"},
        {"asub.file", "ファイル", "File"},
        {"asub.download", "ダウンロード", "Download"},
        {"asub.scores", "評価", "Scores"},
        {"asub.no_score", "この提出には評価がありません。", "This submission has no score."},
        {"asub.total", "合計点", "Total"},
        {"asub.mean", "平均", "Mean"},
        {"asub.deviation", "偏差値", "Deviation value (T-score)"},
        {"asub.deviation_now", "現在の調査全体に対する値。この組織の最新の版ではありません",
         "against the campaign as it is today; not the organisation's latest version"},
        {"asub.radar", "分野ごとの平均（この版・望ましい水準・調査全体）",
         "Section means: this version, the desirable level, the campaign"},
        {"asub.series_own", "この版", "This version"},
        {"asub.series_desirable", "望ましい水準", "Desirable level"},
        {"asub.series_campaign", "調査全体の平均", "Campaign mean"},
        {"asub.campaign_mean", "調査全体の平均", "Campaign mean"},
        {"asub.below", "望ましい水準に届かない項目数", "Items below the desirable level"},
        {"asub.section", "分野", "Section"},
        {"asub.answered", "回答した項目", "Items answered"},
        {"asub.gaps", "望ましい水準に届いていない項目", "Gaps: items below the desirable level"},
        {"asub.no_gaps", "すべての項目が望ましい水準に達しています。",
         "Every item reaches its desirable level."},
        {"asub.gap", "不足", "Short by"},
        {"asub.bidi",
         "（文字の向きを変える制御文字を含みます。見えている順とは違う名前かもしれません）",
         "(holds characters that change the text's direction: the name may not read as it "
         "shows)"},
        {"asub.desirable", "望ましい水準", "Desirable level"},
        {"asub.text", "設問", "Question"},
        {"asub.answers", "回答（署名されたとおり）", "Answers (as signed)"},
        {"asub.comment", "コメント", "Comment"},
        {"asub.evidence", "証跡", "Evidence"},
        {"asub.subcontractors", "申告された再委託先", "Declared subcontractors"},
        {"asub.no_subs", "再委託先の申告はありません。", "No subcontractor is declared."},
        {"diff.title", "前の版からの変更", "Changes since the version before"},
        {"diff.first", "この組織がこの質問票に提出した最初の版です。",
         "This is the organisation's first version for this questionnaire."},
        {"diff.against", "第 {n} 版との比較です。", "Compared with version {n}."},
        {"diff.none", "前の版から変わった点はありません。",
         "Nothing changed since the version before."},
        {"diff.kind", "変更", "Change"},
        {"diff.what", "対象", "Of"},
        {"diff.before", "変更前", "Before"},
        {"diff.after", "変更後", "After"},
        {"diff.level", "回答の水準", "Level"},
        {"diff.comment", "コメント", "Comment"},
        {"diff.evidence_added", "証跡の追加", "Evidence added"},
        {"diff.evidence_removed", "証跡の削除", "Evidence removed"},
        {"diff.evidence_changed", "証跡の差し替え", "Evidence replaced"},
        {"diff.sub_added", "再委託先の追加", "Subcontractor added"},
        {"diff.sub_removed", "再委託先の削除", "Subcontractor removed"},
        {"diff.sub_changed", "再委託先の変更", "Subcontractor changed"},

        /* the dashboard: chains, reminders, audit, the printable report */
        {"chains.title", "再委託の連鎖", "Onward subcontracting chains"},
        {"chains.as_of", "基準日", "as of"},
        {"chains.back", "調査の概要へ", "To the campaign's overview"},
        {"chains.lists", "一覧の切り替え", "Lists"},
        {"chains.all", "全体(層ごと)", "Everything, tier by tier"},
        {"chains.list_pending", "未招待", "Not invited"},
        {"chains.list_invited", "招待済み・未参加", "Invited, not joined"},
        {"chains.list_unapproved", "承認待ち", "Awaiting approval"},
        {"chains.list_overdue", "期限超過", "Overdue"},
        {"chains.about_pending",
         "申告されたものの、まだ招待されていない再委託先です。招待すると登録用リンクが作られます。",
         "Subcontractors declared but not invited yet. Inviting one makes its enrolment link."},
        {"chains.about_invited", "招待されたものの、まだ参加(証明書の発行)していない再委託先です。",
         "Subcontractors invited who have not joined (obtained their certificate) yet."},
        {"chains.about_unapproved",
         "個人情報または機密情報を渡す再委託のうち、まだ承認していないものがある組織です。",
         "Organisations subcontracted onward with personal or "
         "confidential data and is not approved yet."},
        {"chains.about_overdue", "回答期限を過ぎても回答のない組織です。督促の履歴を確認できます。",
         "Organisations past the due date without an answer; their reminders are linked."},
        {"chains.summary", "概況", "Summary"},
        {"chains.n_nodes", "組織数", "Organisations"},
        {"chains.n_unanswered", "未回答", "Not answered"},
        {"chains.n_overdue", "期限超過", "Overdue"},
        {"chains.n_pending", "未招待", "Not invited"},
        {"chains.n_invited", "招待済み・未参加", "Invited, not joined"},
        {"chains.n_unapproved", "未承認の再委託", "Onward subcontracting not approved"},
        {"chains.n_cycles", "循環", "Cycles"},
        {"chains.n_too_deep", "深すぎる階層", "Too deep"},
        {"chains.n_unreachable", "たどれない組織", "Unreachable"},
        {"chains.per_tier", "層ごとの組織数", "Organisations per tier"},
        {"chains.cycles", "循環している組織", "Organisations in a cycle"},
        {"chains.cycle", "循環", "Cycle"},
        {"chains.too_deep", "階層が深すぎます", "Too deep"},
        {"chains.unregistered", "未登録", "Not registered"},
        {"chains.weakest_link", "最も弱い環", "Weakest link"},
        {"chains.paths", "最も弱い経路", "The weakest paths"},
        {"chains.paths_intro",
         "委託元から末端の再委託先までの経路のうち、途中の最も低い平均点(回答した水準の平均)が"
         "低い順です。項目の少ない質問票の組織も同じ尺度で比べられます。印の付いた組織が、その経路"
         "で最も弱い環です。",
         "Paths from the entrusting company to the last subcontractors, the lowest mean level on "
         "the way first (a mean, so that organisations answering fewer items compare alike). "
         "The marked organisation is the path's weakest link."},
        {"chains.path_weakest", "、合計 {n}）", ", total {n})"},
        {"chains.path_mean", " （平均", " (mean"},
        {"chains.root", "委託元", "Entrusting company"},
        {"chains.tree", "層ごとの再委託先", "Tier by tier"},
        {"chains.tier", "第 {n} 層", "Tier {n}"},
        {"chains.unreachable", "委託元からたどれない組織",
         "Not reachable from the entrusting company"},
        {"chains.none", "該当する組織はありません。", "No organisation here."},
        {"chains.col_org", "組織", "Organisation"},
        {"chains.col_status", "状況", "Status"},
        {"chains.col_score", "合計点(平均)", "Total (mean)"},
        {"chains.col_weakest", "経路上で最も弱い組織", "Weakest on its path"},
        {"chains.col_parents", "委託元と渡すデータ", "Entrusted by, with the data passed on"},
        {"chains.direct", "委託元から直接", "Directly by the entrusting company"},
        {"chains.personal", "個人情報", "personal data"},
        {"chains.confidential", "機密情報", "confidential data"},
        {"chains.no_data", "保護すべきデータなし", "no protected data"},
        {"chains.approve", "承認の確認へ", "Review for approval"},
        {"chains.invite", "招待の確認へ", "Review the invitation"},
        {"chains.reinvite", "招待し直す", "Invite again"},
        {"chains.reminders", "督促の履歴", "Reminders"},
        {"chains.pages", "ページ", "Pages"},
        {"chains.prev", "前へ", "Previous"},
        {"chains.next", "次へ", "Next"},
        {"chains.cancel", "再委託の連鎖へ戻る(何も変更しません)",
         "Back to the chains (nothing is changed)"},
        {"chains.invite_title", "再委託先の招待", "Invite a subcontractor"},
        {"chains.invite_intro",
         "次の再委託先を招待します。招待すると、参加用のリンクが一度だけ表示されます。",
         "You are about to invite this subcontractor. The enrolment link is shown once, "
         "after inviting."},
        {"chains.declared_by", "申告した組織", "Declared by"},
        {"chains.direct_title", "未登録の委託先の招待", "Invite a vendor not registered yet"},
        {"chains.direct_intro",
         "まだこのサーバーに登録されていない自社の委託先を招待します。委託先は自社のブラウザで鍵を"
         "作成して参加するため、委託元が委託先の秘密鍵を預かることはありません。",
         "Invite a vendor of your own that is not registered on this server yet. The vendor "
         "makes its key in its own browser and joins with it: you never hold its private key."},
        {"chains.direct_confirm",
         "次の委託先を招待します。招待すると、参加用のリンクが一度だけ表示されます。",
         "You are about to invite this vendor. The enrolment link is shown once, after "
         "inviting."},
        {"chains.direct_id", "法人番号(13桁)または内部 ID",
         "Corporate Number (13 digits) or internal id"},
        {"chains.direct_name", "登録する組織名", "Name to register it under"},
        {"chains.direct_next", "内容を確認する", "Review the invitation"},
        {"chains.direct_invited",
         "次のリンクを委託先の担当者に送ってください。このリンクで証明書を作成して参加できます"
         "(リンクは一度しか表示されません)。",
         "Send this link to the vendor: with it they create their certificate and join (the "
         "link is shown only this once)."},
        {"chains.variant", "回答する質問票の種別", "Questionnaire variant to answer"},
        {"chains.variant_base", "標準(すべての項目)", "Standard (every item)"},
        {"chains.days", "リンクの有効日数 (1〜90)", "Days the link is valid (1-90)"},
        {"chains.invite_do", "招待する", "Invite"},
        {"chains.invited_intro",
         "次のリンクを再委託先の担当者に送ってください。このリンクで証明書を作成して参加できます"
         "(リンクは一度しか表示されません)。",
         "Send this link to the subcontractor: with it they create their certificate and "
         "join (the link is shown only this once)."},
        {"chains.approve_title", "再委託の承認", "Approve onward subcontracting"},
        {"chains.approve_intro",
         "次の再委託を、表示されているデータを渡すものとして承認します。渡すデータが後で増えた"
         "場合は、あらためて承認が必要になります。",
         "You are about to approve this onward subcontracting for the data shown. Should it pass "
         "on "
         "more later, it needs approving again."},
        {"chains.parent", "委託する組織", "Entrusting organisation"},
        {"chains.child", "再委託先", "Subcontractor"},
        {"chains.passes_on", "渡すデータ", "Data passed on"},
        {"chains.state", "現在の状態", "Current state"},
        {"chains.approve_do", "承認する", "Approve"},
        {"chains.approved_title", "承認しました", "Approved"},
        {"chains.approved_intro", "再委託を承認しました。監査ログに記録されています。",
         "The onward subcontracting is approved; the audit log records it."},
        {"chains.approved_by", "承認した組織", "Approved by"},
        {"audit.title", "監査ログ", "Audit log"},
        {"audit.intro",
         "サーバーが受け付けたこと・拒否したことの記録です。新しい順に表示します。対象は、"
         "その下の記録も含めて検索します(campaign/3 で campaign/3/… も)。",
         "What the server accepted and refused, newest first. An object finds what is under "
         "it too (campaign/3 also finds campaign/3/…)."},
        {"audit.actor", "操作した組織", "Actor"},
        {"audit.action", "操作", "Action"},
        {"audit.object", "対象", "Object"},
        {"audit.from", "開始日 (UTC)", "From (UTC)"},
        {"audit.to", "終了日 (UTC)", "To (UTC)"},
        {"audit.search", "検索", "Search"},
        {"audit.entries", "記録", "Entries"},
        {"audit.seq", "番号", "No."},
        {"audit.at", "日時 (UTC)", "Time (UTC)"},
        {"audit.outcome", "結果", "Outcome"},
        {"audit.code", "コード", "Code"},
        {"audit.detail", "詳細", "Detail"},
        {"audit.none", "条件に合う記録はありません。", "No entry matches."},
        {"audit.older", "さらに古い記録", "Older entries"},
        {"audit.verify_intro",
         "記録はハッシュの鎖でつながっており、書き換えや削除があれば検査で分かります。",
         "The entries form a hash chain: an edited or deleted entry shows when it is checked."},
        {"audit.verify_now", "いま検査する(すべての記録を読みます)",
         "Check it now (reads every entry)"},
        {"audit.verify_title", "監査ログの検査", "Checking the audit log"},
        {"audit.verify_what",
         "すべての記録のハッシュを先頭から計算し直し、鎖がつながっているかを確かめました"
         "(itaku audit verify と同じ検査です)。",
         "Every entry's hash was computed again from the first one on, and the chain "
         "checked (the check `itaku audit verify` makes)."},
        {"audit.intact", "鎖は完全です: {n} 件の記録がすべて確認できました。",
         "The chain is intact: all {n} entries verify."},
        {"audit.broken", "鎖が切れています: 番号 {n} の記録から先が確認できません。",
         "The chain is broken: entries from number {n} on do not verify."},
        {"audit.broken_show", "その記録を表示する", "Show that entry"},
        {"audit.verified", "確認できた記録", "Entries verified"},
        {"audit.took", "所要時間", "Time taken"},
        {"audit.verify_cli", "サーバーのホストでは、次のコマンドで同じ検査ができます。",
         "On the server host the same check is:"},
        {"audit.back", "監査ログへ戻る", "Back to the audit log"},
        {"report.title", "報告書", "Report"},
        {"report.title_org", "報告書(組織別)", "Report on one organisation"},
        {"report.pdf", "PDF をダウンロード", "Download the PDF"},
        {"report.print_hint",
         "ブラウザーの印刷 (Ctrl+P、Mac では ⌘P) でも、同じ A4 の報告書を印刷・PDF 保存できます。",
         "Your browser's print (Ctrl+P, ⌘P on a Mac) prints the same A4 report or saves it "
         "as PDF."},
        {"report.summary", "概要と進み具合", "Summary and progress"},
        {"report.as_of", "基準日", "As of"},
        {"report.sections", "分野別の平均と望ましい水準",
         "Section means against the desirable level"},
        {"report.org_mean", "この組織", "This organisation"},
        {"report.gaps", "望ましい水準に届かない項目", "Items below the desirable level"},
        {"report.gaps_intro", "この組織の回答のうち、望ましい水準より低い項目です(低い順)。",
         "This organisation's answers below the desirable level, lowest first."},
        {"report.no_gaps", "望ましい水準に届かない項目はありません。",
         "No item is below the desirable level."},
        {"report.item", "項目", "Item"},
        {"report.level", "回答", "Answer"},
        {"report.organisations", "組織の分布と弱い組織", "Organisations, the weakest first"},
        {"report.chains", "再委託の連鎖", "Onward subcontracting chains"},
        {"report.distribution", "項目ごとの回答の分布", "Answers per item"},
        {"report.made", "作成", "Made"},
        {"remind.title", "督促の履歴", "Reminders"},
        {"remind.intro", "この割り当てについて送った(または送ろうとした)督促です。",
         "The reminders sent (or tried) about this assignment."},
        {"remind.stage", "段階", "Stage"},
        {"remind.due", "対象の回答期限", "For the due date"},
        {"remind.recipient", "宛先", "Recipient"},
        {"remind.status", "状態", "Status"},
        {"remind.attempts", "試行回数", "Attempts"},
        {"remind.claimed", "処理した日時 (UTC)", "Handled (UTC)"},
        {"remind.sent", "送信した日時 (UTC)", "Sent (UTC)"},
        {"remind.error", "エラー", "Error"},
        {"remind.st_claimed", "送信中", "being sent"},
        {"remind.st_sent", "送信済み", "sent"},
        {"remind.st_failed", "失敗(再送します)", "failed (to be retried)"},
        {"remind.st_uncertain", "不明(送信中に中断)", "uncertain (interrupted while sending)"},
        {"remind.st_no_contact", "連絡先なし", "no contact"},
        {"remind.none", "督促はまだ送られていません。", "No reminder has been sent."},
        {"remind.back", "再委託の連鎖へ", "To the chains"},

        /* the dashboard: charts */

};

#define NCAT (sizeof(catalogue) / sizeof(catalogue[0]))

static const msg *find(const char *key)
{
	for (size_t i = 0; i < NCAT; i++)
		if (strcmp(catalogue[i].key, key) == 0)
			return &catalogue[i];
	return NULL;
}

const char *i18n_text(i18n_lang lang, const char *key)
{
	const msg *m = find(key);
	if (m == NULL)
		return key;
	return lang == LANG_EN ? m->en : m->ja;
}

void i18n_format(i18n_lang lang, const char *key, long long n, char *buf, size_t len)
{
	const char *t = i18n_text(lang, key), *at = strstr(t, "{n}");
	if (at == NULL)
		snprintf(buf, len, "%s", t);
	else
		snprintf(buf, len, "%.*s%lld%s", (int)(at - t), t, n, at + 3);
}

unsigned i18n_count(void)
{
	return (unsigned)NCAT;
}

const char *i18n_key(unsigned n)
{
	return n < NCAT ? catalogue[n].key : NULL;
}

const char *i18n_code(i18n_lang lang)
{
	return lang == LANG_EN ? "en" : "ja";
}

int i18n_parse(const char *s)
{
	if (s != NULL && strcmp(s, "ja") == 0)
		return LANG_JA;
	if (s != NULL && strcmp(s, "en") == 0)
		return LANG_EN;
	return -1;
}

/* One language-range of Accept-Language ("en-GB;q=0.8"): its primary tag
 * and its weight in thousandths; -1 when the range is not well formed
 * (RFC 9110 12.5.4: q is 0–1 with at most three decimals). */
static int range_weight(const char *r, size_t n, char tag[3])
{
	size_t i = 0, t = 0;
	int q = 1000;

	while (i < n && r[i] == ' ')
		i++;
	while (i < n && ((r[i] >= 'a' && r[i] <= 'z') || (r[i] >= 'A' && r[i] <= 'Z'))) {
		if (t < 2)
			tag[t] = (char)(r[i] | 0x20);
		t++;
		i++;
	}
	if (t != 2)
		return -1;
	tag[2] = '\0';
	while (i < n && r[i] != ';')
		i++; /* subtags: en-GB counts as en */
	if (i < n) {
		const char *p = r + i + 1;
		size_t rest = n - i - 1, k = 0;
		while (k < rest && p[k] == ' ')
			k++;
		if (rest - k < 3 || p[k] != 'q' || p[k + 1] != '=' ||
		    (p[k + 2] != '0' && p[k + 2] != '1'))
			return -1;
		q = (p[k + 2] - '0') * 1000;
		k += 3;
		if (k < rest && p[k] == '.') {
			int scale = 100;
			for (k++; k < rest && p[k] >= '0' && p[k] <= '9' && scale > 0;
			     k++, scale /= 10)
				q += (p[k] - '0') * scale;
		}
		if (q > 1000)
			return -1;
	}
	return q;
}

static int from_accept(const char *al)
{
	int best = -1, best_q = 0;
	const char *p = al;

	while (p != NULL && *p != '\0') {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		char tag[3] = "";
		int q = range_weight(p, n, tag);
		int l = q > 0 ? i18n_parse(tag) : -1;
		if (l >= 0 && q > best_q) {
			best = l;
			best_q = q;
		}
		p = comma ? comma + 1 : NULL;
	}
	return best;
}

i18n_lang i18n_pick(const char *query_lang, const char *cookie, const char *accept_language)
{
	int l = i18n_parse(query_lang);
	if (l < 0)
		l = i18n_parse(cookie);
	if (l < 0)
		l = from_accept(accept_language);
	return l < 0 ? LANG_JA : (i18n_lang)l;
}
