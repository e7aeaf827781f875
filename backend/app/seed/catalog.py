"""The products, material kinds and reason catalog, as support staff would explain them."""

PRODUCTS = [
    {"code": "huabei", "name_zh": "花呗", "name_en": "Huabei"},
    {"code": "jiebei", "name_zh": "借呗", "name_en": "Jiebei"},
]

MATERIAL_KINDS = [
    {"kind": "id_card_front", "name_zh": "身份证人像面照片", "name_en": "ID card, photo side"},
    {"kind": "id_card_back", "name_zh": "身份证国徽面照片", "name_en": "ID card, emblem side"},
    {"kind": "face_verification", "name_zh": "人脸识别（本人实时刷脸）", "name_en": "Live face verification"},
    {"kind": "bank_card", "name_zh": "本人名下银行卡照片", "name_en": "Photo of a bank card in your own name"},
    {"kind": "income_proof", "name_zh": "收入证明（近 6 个月工资流水或单位盖章的收入证明）",
     "name_en": "Proof of income (last 6 months of salary statements or a stamped income certificate)"},
    {"kind": "employment_proof", "name_zh": "在职证明（单位盖章，或劳动合同首页与签字页）",
     "name_en": "Proof of employment (stamped by your employer, or the first and signature pages of your contract)"},
    {"kind": "credit_report_correction", "name_zh": "征信异议处理结果或银行出具的非恶意逾期证明",
     "name_en": "Credit-report dispute result, or a bank's letter that the overdue was not your fault"},
    {"kind": "repayment_proof", "name_zh": "逾期欠款已还清的凭证（还款记录或结清证明）",
     "name_en": "Proof that the overdue amounts are fully repaid (repayment record or settlement letter)"},
    {"kind": "phone_real_name_proof", "name_zh": "手机号实名登记证明（运营商营业厅或 App 截图）",
     "name_en": "Proof the phone number is registered in your name (from your mobile carrier)"},
]

REASONS = [
    {
        "code": "CREDIT_OVERDUE_HISTORY",
        "family": "qualification",
        "title_zh": "征信报告中有逾期记录",
        "title_en": "Overdue payments in your credit report",
        "explanation_zh": (
            "我们在审批时会查询您的人民银行征信报告。报告显示近两年内有信用卡或贷款未按时还款的记录，"
            "系统据此判断当前的还款风险偏高，所以这次没有通过。逾期记录在结清后仍会在征信报告中保留 5 年，"
            "但越久远、金额越小，对审批的影响越小。"
        ),
        "explanation_en": (
            "When we review an application we check your credit report from the People's Bank of China. "
            "It shows credit-card or loan payments that were not made on time in the last two years, so the "
            "system judged the repayment risk too high this time. Overdue records stay on the report for "
            "5 years after they are settled, but older and smaller ones weigh less."
        ),
        "remedy_zh": (
            "1. 先把所有仍在逾期的欠款还清，并保持之后每期按时还款；"
            "2. 如果逾期并非您的责任（例如银行系统原因、年费未通知、被冒用），可向发卡行或征信中心提出异议，"
            "拿到处理结果后提交申诉；"
            "3. 没有异议的话，建议保持良好记录 90 天后再申请。"
        ),
        "remedy_en": (
            "1. Repay anything that is still overdue and pay every bill on time from now on. "
            "2. If the overdue was not your fault (a bank error, an annual fee you were never told about, "
            "identity theft), raise a dispute with the card issuer or the credit reference centre and appeal "
            "with the result. "
            "3. Otherwise, keep a clean record and apply again after 90 days."
        ),
        "required_materials": ["credit_report_correction", "repayment_proof"],
        "appealable": True,
        "retry_after_days": 90,
        "appeal_review_days": 3,
    },
    {
        "code": "MULTIPLE_LENDING",
        "family": "qualification",
        "title_zh": "近期在多家机构借款（多头借贷）",
        "title_en": "Borrowing from many lenders at once",
        "explanation_zh": (
            "征信和风控数据显示，您最近在多家银行、消费金融或网贷平台有借款或频繁申请贷款的查询记录。"
            "同时在多处借款容易导致以贷养贷、负债过高，按照风控规则，这种情况暂时不能开通或使用借款服务。"
            "这项判断是基于整体负债情况的，无法通过申诉改变。"
        ),
        "explanation_en": (
            "Credit and risk data show loans, or many recent loan applications, at several banks, "
            "consumer-finance companies or lending apps. Borrowing from many places at once often leads to "
            "taking new loans to repay old ones, so under our risk rules the service cannot be opened or "
            "used for now. This is based on your overall debt and cannot be changed by an appeal."
        ),
        "remedy_zh": (
            "1. 按时还款，优先结清金额小、笔数多的借款，减少在贷机构数量；"
            "2. 这段时间不要再频繁申请新的贷款或信用卡，每次申请都会留下查询记录；"
            "3. 180 天后可以再次申请，届时系统会重新评估。"
        ),
        "remedy_en": (
            "1. Keep repaying on time and close the small loans first, so fewer lenders are involved. "
            "2. Avoid applying for new loans or credit cards meanwhile: every application leaves an enquiry. "
            "3. Apply again after 180 days; the system will assess you afresh."
        ),
        "required_materials": [],
        "appealable": False,
        "retry_after_days": 180,
        "appeal_review_days": None,
    },
    {
        "code": "HIGH_RISK_BEHAVIOR",
        "family": "qualification",
        "title_zh": "账户存在异常或高风险操作",
        "title_en": "Unusual or high-risk activity on the account",
        "explanation_zh": (
            "风控系统发现账户近期有异常操作，例如短时间内在多台新设备登录、频繁修改收款或绑卡信息、"
            "交易与平时习惯差别很大。为保护您的资金安全，系统暂停了相关服务。"
            "这类判断有时会误伤正常使用的用户，您可以说明情况并申诉。"
        ),
        "explanation_en": (
            "Our risk system noticed unusual activity, such as logins from several new devices in a short "
            "time, frequent changes to payout or bank-card details, or transactions very different from your "
            "usual pattern. To protect your money the service was paused. Such checks sometimes catch "
            "genuine users, so you can explain what happened and appeal."
        ),
        "remedy_zh": (
            "1. 确认近期的登录和操作都是您本人所为，如有不明设备请立即修改登录密码；"
            "2. 提交申诉，写清当时换手机、改绑卡等原因，并完成本人刷脸验证和收入证明；"
            "3. 审核一般在 7 个工作日内完成，结果会通过短信和 App 通知您。"
        ),
        "remedy_en": (
            "1. Check that all recent logins and changes were yours; if you see a device you do not know, "
            "change your password now. "
            "2. File an appeal explaining what happened (a new phone, a changed salary card, …) and complete "
            "a live face verification and proof of income. "
            "3. Reviews usually finish within 7 working days; you will get an SMS and an in-app message."
        ),
        "required_materials": ["face_verification", "income_proof"],
        "appealable": True,
        "retry_after_days": 30,
        "appeal_review_days": 7,
    },
    {
        "code": "UNSTABLE_EMPLOYMENT",
        "family": "qualification",
        "title_zh": "工作和收入稳定性不足",
        "title_en": "Employment and income not stable enough",
        "explanation_zh": (
            "系统根据社保和公积金缴纳记录评估收入稳定性。记录显示您近一年内更换工作较频繁，"
            "缴纳有中断，模型因此认为还款来源不够稳定。如果您现在工作稳定、收入持续，"
            "模型可能没有看到最新情况，可以提交证明申诉。"
        ),
        "explanation_en": (
            "The system judges income stability from social-insurance and housing-fund contributions. "
            "They show several job changes in the past year, with gaps, so the model considered your "
            "repayment source not stable enough. If you now have steady work and income, the model may not "
            "have seen it yet: you can appeal with proof."
        ),
        "remedy_zh": (
            "1. 准备单位盖章的在职证明（或劳动合同首页和签字页）；"
            "2. 准备近 6 个月的工资流水或单位出具的收入证明；"
            "3. 在申诉中上传这两份材料并简单说明工作变动的原因，审核通过后额度会重新评估。"
        ),
        "remedy_en": (
            "1. Get a proof of employment stamped by your employer (or your contract's first and signature "
            "pages). "
            "2. Get the last 6 months of salary statements or an income certificate from your employer. "
            "3. Upload both with your appeal and say briefly why you changed jobs; once approved, your "
            "limit will be reassessed."
        ),
        "required_materials": ["employment_proof", "income_proof"],
        "appealable": True,
        "retry_after_days": 60,
        "appeal_review_days": 3,
    },
    {
        "code": "ID_INFO_MISMATCH",
        "family": "compliance",
        "title_zh": "身份证信息与实名信息不一致",
        "title_en": "ID card details do not match your real-name record",
        "explanation_zh": (
            "身份验证时，您提交的身份证信息（姓名、证件号或有效期）与账户实名登记的信息对不上，"
            "常见原因是身份证换发后证件有效期或照片已更新、曾改名，或上传的照片不清晰。"
            "按照实名制的监管要求，信息一致前无法完成验证。"
        ),
        "explanation_en": (
            "During identity verification the ID card details you gave (name, number or validity dates) did "
            "not match the real-name record of the account. Common causes: a renewed ID card with new dates "
            "or photo, a changed name, or a blurred photo. Real-name rules require them to match before "
            "verification can pass."
        ),
        "remedy_zh": (
            "1. 拍摄最新身份证的人像面和国徽面，四角完整、无反光；"
            "2. 完成一次本人实时刷脸；"
            "3. 上传后系统会更新实名信息，通常 1 个工作日内完成，之后即可重新验证。"
        ),
        "remedy_en": (
            "1. Photograph both sides of your current ID card, all four corners visible and no glare. "
            "2. Complete a live face verification. "
            "3. After upload your real-name record is updated, usually within 1 working day; then verify again."
        ),
        "required_materials": ["id_card_front", "id_card_back", "face_verification"],
        "appealable": True,
        "retry_after_days": None,
        "appeal_review_days": 1,
    },
    {
        "code": "BANK_CARD_MISMATCH",
        "family": "compliance",
        "title_zh": "绑定的银行卡不是本人名下",
        "title_en": "The linked bank card is not in your name",
        "explanation_zh": (
            "开通或使用信贷服务时，收款和还款的银行卡必须是您本人名下的储蓄卡。"
            "银行返回的持卡人信息与您的实名信息不一致（例如绑定了家人的卡，或卡已注销），"
            "因此申请没有通过。"
        ),
        "explanation_en": (
            "Credit services must pay out to and collect from a debit card in your own name. The bank "
            "reported a cardholder different from your real-name record (for example a family member's card, "
            "or a cancelled card), so the application was refused."
        ),
        "remedy_zh": (
            "1. 在“银行卡”页面解绑不是本人的卡；"
            "2. 绑定一张本人名下、状态正常的储蓄卡，并拍摄卡面照片上传；"
            "3. 提交后重新申请，一般当天即可完成审核。"
        ),
        "remedy_en": (
            "1. Remove any card that is not yours on the Bank cards page. "
            "2. Link a working debit card in your own name and upload a photo of it. "
            "3. Apply again; the check usually completes the same day."
        ),
        "required_materials": ["bank_card"],
        "appealable": True,
        "retry_after_days": None,
        "appeal_review_days": 1,
    },
    {
        "code": "PHONE_NOT_REAL_NAME",
        "family": "compliance",
        "title_zh": "手机号未在本人名下实名登记",
        "title_en": "Your phone number is not registered in your name",
        "explanation_zh": (
            "运营商返回的信息显示，账户绑定的手机号登记在他人名下，或尚未完成实名登记。"
            "信贷服务的验证码和还款提醒都会发到这个号码，所以必须是本人实名的手机号。"
        ),
        "explanation_en": (
            "Your mobile carrier reports that the account's phone number is registered to someone else, or "
            "not registered at all. Codes and repayment reminders go to this number, so it must be registered "
            "in your own name."
        ),
        "remedy_zh": (
            "1. 到运营商营业厅或官方 App 把号码过户或实名到本人名下，或换绑一个本人实名的手机号；"
            "2. 上传运营商出具的实名登记证明，并完成一次刷脸验证；"
            "3. 审核通过后即可正常使用。"
        ),
        "remedy_en": (
            "1. Have the number transferred to or registered in your name at your carrier, or switch the "
            "account to a number that is. "
            "2. Upload the carrier's proof of registration and complete a live face verification. "
            "3. Once checked, you can use the service again."
        ),
        "required_materials": ["phone_real_name_proof", "face_verification"],
        "appealable": True,
        "retry_after_days": None,
        "appeal_review_days": 1,
    },
    {
        "code": "DEVICE_UNSUPPORTED",
        "family": "technical",
        "title_zh": "App 版本过旧或设备不受支持",
        "title_en": "App version too old or device not supported",
        "explanation_zh": (
            "为保证账户安全，登录和刷脸需要较新的 App 版本和系统安全组件。"
            "您登录时使用的 App 版本过旧，或手机系统版本过低、已 root/越狱，安全检查无法通过。"
        ),
        "explanation_en": (
            "For account security, login and face verification need a recent app version and system "
            "security components. The app version you used was too old, or the phone's system is outdated, "
            "rooted or jailbroken, so the security check failed."
        ),
        "remedy_zh": (
            "1. 在应用商店把 App 更新到最新版本；"
            "2. 如果手机系统低于 Android 8 或 iOS 13，请升级系统或换一台手机；"
            "3. 不要在 root 或越狱的手机上登录。更新后重新登录即可，无需提交材料。"
        ),
        "remedy_en": (
            "1. Update the app to the latest version from your app store. "
            "2. If the phone runs older than Android 8 or iOS 13, update it or use another phone. "
            "3. Do not log in on a rooted or jailbroken phone. Then log in again; no documents are needed."
        ),
        "required_materials": [],
        "appealable": False,
        "retry_after_days": None,
        "appeal_review_days": None,
    },
    {
        "code": "LOCATION_MISMATCH",
        "family": "technical",
        "title_zh": "登录地点与常用地区差别较大",
        "title_en": "Login from far away from your usual region",
        "explanation_zh": (
            "这次登录的位置离您登记的常住地区很远，而且是在不常用的设备上，"
            "为防止账号被盗用，系统拦截了登录，需要先确认是您本人。这不是对您信用的负面评价。"
        ),
        "explanation_en": (
            "This login came from far away from your registered region, on a device you rarely use. "
            "To stop account theft the system blocked it until we can confirm it is you. It says nothing "
            "bad about your credit."
        ),
        "remedy_zh": (
            "1. 如果是您本人在外地登录，请在登录页选择“其他验证方式”，用短信验证码加刷脸确认身份；"
            "2. 验证通过后该设备会被记为常用设备；"
            "3. 如果不是您本人操作，请立即修改登录密码。"
        ),
        "remedy_en": (
            "1. If it was you travelling, choose \"Other ways to verify\" on the login page and confirm with "
            "an SMS code and face verification. "
            "2. After that the device is remembered as yours. "
            "3. If it was not you, change your password right away."
        ),
        "required_materials": ["face_verification"],
        "appealable": False,
        "retry_after_days": None,
        "appeal_review_days": None,
    },
    {
        "code": "SERVICE_OUTAGE",
        "family": "technical",
        "title_zh": "风控服务正在维护或出现故障",
        "title_en": "The risk-control service is down for maintenance",
        "explanation_zh": (
            "提示“暂时无法使用本服务”是因为我们负责审批的风控系统正在升级或出现故障，"
            "与您的账户和信用无关，所有用户在此期间都会受到影响。"
        ),
        "explanation_en": (
            "\"Service temporarily unavailable\" appears because the risk-control system that approves "
            "requests is being upgraded or has a fault. It has nothing to do with your account or credit; "
            "every user is affected while it lasts."
        ),
        "remedy_zh": (
            "无需任何操作，也不用提交材料。请在预计恢复时间之后再试，"
            "期间不要反复提交，以免触发频繁操作的保护。恢复后会通过 App 消息通知。"
        ),
        "remedy_en": (
            "There is nothing you need to do or send. Please try again after the expected end time, and "
            "avoid retrying many times meanwhile so the repeated-attempt protection does not kick in. "
            "We will post an in-app message when it is back."
        ),
        "required_materials": [],
        "appealable": False,
        "retry_after_days": None,
        "appeal_review_days": None,
    },
    {
        "code": "REGULATORY_RESTRICTION",
        "family": "regulatory",
        "title_zh": "监管要求下的审慎审核",
        "title_en": "Stricter review required by regulation",
        "explanation_zh": (
            "根据金融监管关于防止过度借贷的要求，对部分人群（例如整体负债率较高、"
            "近期收入来源变化较大的用户）必须采取更严格的审核，在审核期内不能新开通信贷服务。"
            "这是统一的合规要求，不是针对您个人，也不能通过申诉变更。"
        ),
        "explanation_en": (
            "Financial regulations against over-lending require a stricter review for some groups of users "
            "(for example high overall debt relative to income, or a recent big change in income sources). "
            "During that review period no new credit service can be opened. It is a general compliance rule, "
            "not aimed at you personally, and an appeal cannot change it."
        ),
        "remedy_zh": (
            "1. 审核期（90 天）结束后可以重新申请；"
            "2. 这段时间按时偿还现有借款、控制负债，有助于下次审核通过；"
            "3. 如需资金周转，请只选择正规持牌机构。"
        ),
        "remedy_en": (
            "1. Apply again when the 90-day review period ends. "
            "2. Meanwhile, repaying existing loans on time and keeping debt low helps the next review. "
            "3. If you need money in the meantime, use licensed lenders only."
        ),
        "required_materials": [],
        "appealable": False,
        "retry_after_days": 90,
        "appeal_review_days": None,
    },
]

# What people ask once the cause has been explained: "why me / is that fair", "how long",
# "I've already fixed it". Kept next to the reason, so the bot never words a cause itself.
FOLLOW_UPS = {
    "CREDIT_OVERDUE_HISTORY": {
        "why_me_zh": "审批对每位申请人都用同一套规则：征信报告里近两年有逾期记录的申请都会被判定为风险偏高，"
        "不是针对您个人。如果逾期确实不是您的责任，可以拿异议处理结果申诉，我们会重新审核。",
        "why_me_en": "Every applicant is assessed by the same rules: any application with overdue records in the "
        "last two years of the credit report is rated higher risk; it is not aimed at you. If the overdue was "
        "not your fault, appeal with the dispute result and we will review it again.",
        "timing_zh": "保持按时还款 90 天后可以重新申请；申诉一般在 3 个工作日内审核完。逾期记录本身会在结清后保留 5 年，但影响会逐渐变小。",
        "timing_en": "Apply again after 90 days of on-time payments; an appeal is usually reviewed within 3 working "
        "days. The record itself stays 5 years after it is settled, but weighs less over time.",
        "already_fixed_zh": "还清欠款后，征信报告一般要等银行下一次报送（约 1 个月）才会更新。请保留结清凭证："
        "可以上传“逾期欠款已还清的凭证”申诉，或等到可重新申请的日期后再申请。",
        "already_fixed_en": "Once repaid, the credit report usually updates with the bank's next report (about a "
        "month). Keep the settlement proof: upload it with an appeal, or apply again from the retry date.",
    },
    "MULTIPLE_LENDING": {
        "why_me_zh": "这条规则适用于所有同时在多家机构借款或频繁申请贷款的用户，目的是避免以贷养贷、负债过重，"
        "不是针对您个人，因此也不能通过申诉改变。",
        "why_me_en": "This rule applies to everyone who borrows from many lenders at once or applies for loans "
        "often; it exists to prevent taking new loans to repay old ones. It is not aimed at you, which is also "
        "why an appeal cannot change it.",
        "timing_zh": "需要等 180 天后再申请，届时系统会根据新的借贷情况重新评估。",
        "timing_en": "You need to wait 180 days before applying again; the system will then reassess your borrowing afresh.",
        "already_fixed_zh": "已经结清部分借款很好，不过征信和风控数据更新需要时间，而且 180 天的等待期不会提前结束。"
        "请在可重新申请的日期之后再申请，期间不要再申请新的贷款。",
        "already_fixed_en": "Paying loans off helps, but credit and risk data take time to update, and the 180-day "
        "wait does not end early. Apply again from the retry date and avoid new loan applications meanwhile.",
    },
    "HIGH_RISK_BEHAVIOR": {
        "why_me_zh": "风控系统会对所有账户的异常操作（新设备登录、频繁改绑卡等）做同样的保护性拦截，目的是保护您的资金。"
        "它有时会误伤正常用户，所以您可以申诉说明情况。",
        "why_me_en": "The risk system applies the same protective block to unusual activity on every account "
        "(new devices, frequent card changes), to protect your money. It sometimes catches genuine users, which "
        "is why you can appeal and explain.",
        "timing_zh": "申诉一般在 7 个工作日内审核完；不申诉的话，可在 30 天后重新申请。",
        "timing_en": "An appeal is usually reviewed within 7 working days; without one, you can apply again after 30 days.",
        "already_fixed_zh": "如果您已经确认操作是本人所为、修改了密码，请提交申诉并完成刷脸验证和收入证明，审核通过后服务会恢复。",
        "already_fixed_en": "If you have confirmed the activity was yours and changed your password, file an appeal "
        "with a live face verification and proof of income; the service comes back once it is approved.",
    },
    "UNSTABLE_EMPLOYMENT": {
        "why_me_zh": "系统对所有申请人都按社保和公积金记录评估收入稳定性；您近一年换工作较多、缴纳有中断，所以被判定为不够稳定。"
        "模型可能没看到您最新的情况，提交证明申诉就能重新审核。",
        "why_me_en": "Every applicant's income stability is judged from social-insurance and housing-fund records; "
        "yours show several job changes and gaps in the past year. The model may not have seen your current "
        "situation, and an appeal with proof gets it reviewed again.",
        "timing_zh": "申诉材料齐全后一般 3 个工作日内审核完；不申诉的话，可在 60 天后重新申请。",
        "timing_en": "Once the appeal's materials are complete it is usually reviewed within 3 working days; "
        "without an appeal, you can apply again after 60 days.",
        "already_fixed_zh": "如果您现在已经稳定工作，请在申诉中上传在职证明和收入证明，审核通过后会重新评估额度。",
        "already_fixed_en": "If you are in steady work now, upload your proof of employment and proof of income "
        "with an appeal; once approved, your limit is reassessed.",
    },
    "ID_INFO_MISMATCH": {
        "why_me_zh": "实名制要求对每位用户都一样：身份证信息必须与实名登记完全一致。常见原因是换了新身份证、改过名或照片不清晰，并不代表您有问题。",
        "why_me_en": "Real-name rules are the same for everyone: ID details must match the real-name record "
        "exactly. A renewed card, a changed name or a blurred photo is the usual cause; it says nothing bad about you.",
        "timing_zh": "上传材料后通常 1 个工作日内更新实名信息，之后就可以重新验证。",
        "timing_en": "After you upload the materials the record is usually updated within 1 working day; then you can verify again.",
        "already_fixed_zh": "如果您已经上传了最新身份证并完成刷脸，等实名信息更新（通常 1 个工作日）后重新验证即可；仍失败的话可以转人工。",
        "already_fixed_en": "If you have uploaded your current ID card and done the face check, verify again once "
        "the record is updated (usually 1 working day); if it still fails, a human agent can help.",
    },
    "BANK_CARD_MISMATCH": {
        "why_me_zh": "所有用户的收款和还款卡都必须是本人名下的储蓄卡，这是防止盗用和资金风险的统一要求；"
        "银行返回的持卡人和您的实名信息不一致，所以没通过，并不是对您信用的负面评价。",
        "why_me_en": "Every user's payout and repayment card must be a debit card in their own name; this rule "
        "prevents fraud. The bank named a different cardholder, so the check failed; it says nothing about your credit.",
        "timing_zh": "换绑本人银行卡并上传卡面照片后重新申请，一般当天就能完成审核。",
        "timing_en": "After linking a card in your own name and uploading its photo, apply again; the check usually completes the same day.",
        "already_fixed_zh": "如果您已经换绑了本人名下的银行卡，请上传卡面照片后重新申请，一般当天就有结果。",
        "already_fixed_en": "If you have already linked a card in your own name, upload a photo of it and apply again; "
        "you usually get the result the same day.",
    },
    "PHONE_NOT_REAL_NAME": {
        "why_me_zh": "验证码和还款提醒都会发到绑定手机号，所以所有用户的手机号都必须实名在本人名下；运营商显示您的号码不在您名下。",
        "why_me_en": "Codes and repayment reminders go to the linked number, so every user's number must be "
        "registered in their own name; your carrier reports yours is not.",
        "timing_zh": "上传运营商实名证明并完成刷脸后，审核通过即可使用，一般 1 个工作日内。",
        "timing_en": "After you upload the carrier's proof and complete the face check, it is usually approved within 1 working day.",
        "already_fixed_zh": "如果号码已经实名到本人名下，请上传运营商的实名登记证明并完成刷脸验证，审核通过后即可正常使用。",
        "already_fixed_en": "If the number is now registered in your name, upload the carrier's proof and complete "
        "a live face verification; you can use the service once it is checked.",
    },
    "DEVICE_UNSUPPORTED": {
        "why_me_zh": "安全检查对所有设备都一样：App 版本过旧、系统过低或已 root/越狱的手机都无法通过。这与您的信用无关。",
        "why_me_en": "The security check is the same for every device: an old app, an outdated system or a "
        "rooted/jailbroken phone cannot pass it. It has nothing to do with your credit.",
        "timing_zh": "不需要等待：更新 App（或换一台手机）后马上就可以重新登录。",
        "timing_en": "No waiting: once the app is updated (or you use another phone) you can log in right away.",
        "already_fixed_zh": "更新完成后直接重新登录即可；如果仍然失败，请确认手机系统不低于 Android 8 / iOS 13，或转人工客服。",
        "already_fixed_en": "Once updated, just log in again; if it still fails, check the phone runs at least "
        "Android 8 / iOS 13, or talk to a human agent.",
    },
    "LOCATION_MISMATCH": {
        "why_me_zh": "任何账户在离常住地很远、又用不常用的设备登录时都会被拦截，这是防盗号的保护，不是对您信用的负面评价。",
        "why_me_en": "Any account is stopped when it logs in far from its usual region on an unfamiliar device; "
        "it is theft protection, not a judgement of your credit.",
        "timing_zh": "不需要等待：用短信验证码加刷脸确认身份后就可以马上登录。",
        "timing_en": "No waiting: confirm it is you with an SMS code and face verification and you can log in right away.",
        "already_fixed_zh": "验证通过后这台设备会被记为常用设备，之后正常登录即可；如果仍被拦截，请转人工客服。",
        "already_fixed_en": "Once verified, the device is remembered as yours and you can log in normally; if you "
        "are still blocked, talk to a human agent.",
    },
    "SERVICE_OUTAGE": {
        "why_me_zh": "不只是您：故障期间所有用户都会受到影响，与您的账户和信用无关。",
        "why_me_en": "It is not just you: every user is affected while the fault lasts; it has nothing to do with your account or credit.",
        "timing_zh": "请在预计恢复时间之后再试，恢复后会通过 App 消息通知。",
        "timing_en": "Please try again after the expected end time; we will post an in-app message when it is back.",
        "already_fixed_zh": "您不需要做任何修复：这是我们这边的故障，恢复后直接重试即可。",
        "already_fixed_en": "There is nothing for you to fix: the fault is on our side; just try again once it is back.",
    },
    "REGULATORY_RESTRICTION": {
        "why_me_zh": "这是金融监管的统一要求：符合条件的一类用户（例如整体负债率较高、收入来源近期变化较大）都要接受更严格的审核，"
        "不是针对您个人，也不代表您有不良记录。",
        "why_me_en": "It is a general regulatory requirement: everyone in certain groups (for example high debt "
        "relative to income, or a recent big change in income sources) gets a stricter review. It is not aimed "
        "at you and does not mean you have a bad record.",
        "timing_zh": "审核期为 90 天，结束后可以重新申请。",
        "timing_en": "The review period is 90 days; you can apply again when it ends.",
        "already_fixed_zh": "降低负债、按时还款会在下次审核时起作用，但审核期不会因此提前结束。请在可重新申请的日期之后再申请。",
        "already_fixed_en": "Lower debt and on-time payments count at the next review, but the review period "
        "does not end early. Apply again from the retry date.",
    },
}

# Words customers use for each cause, in either language (lower case; an English one must
# stand as a word). Once one cause is explained, a follow-up naming another cause on the
# customer's record ("那设备的问题呢") is answered about that one.
KEYWORDS = {
    "CREDIT_OVERDUE_HISTORY": ["逾期", "征信", "信用记录", "欠款", "还款记录", "overdue", "credit report",
                               "credit record", "credit history", "late payment"],
    "MULTIPLE_LENDING": ["多头", "多家", "借款太多", "贷款太多", "网贷", "负债", "too many loans", "many lenders",
                         "other loans", "other lenders", "debt"],
    "HIGH_RISK_BEHAVIOR": ["异常操作", "高风险", "风险操作", "异常交易", "套现", "unusual activity", "high-risk",
                           "high risk", "suspicious"],
    "UNSTABLE_EMPLOYMENT": ["工作", "收入", "跳槽", "社保", "工资", "job", "jobs", "employment", "employer",
                            "income", "salary"],
    "ID_INFO_MISMATCH": ["身份证", "实名信息", "证件", "id card", "identity card", "id number"],
    "BANK_CARD_MISMATCH": ["银行卡", "储蓄卡", "借记卡", "bank card", "debit card"],
    "PHONE_NOT_REAL_NAME": ["手机号", "号码", "运营商", "phone number", "mobile number", "sim card", "carrier"],
    "DEVICE_UNSUPPORTED": ["设备", "版本", "更新", "升级", "新手机", "换手机", "旧手机", "手机型号", "手机的问题", "手机问题",
                           "手机系统", "手机太旧", "device", "version", "update", "upgrade", "old phone",
                           "new phone", "phone model", "old android", "old iphone"],
    "LOCATION_MISMATCH": ["异地", "外地", "地点", "位置", "地区", "出差", "旅游", "定位", "location", "travel",
                          "travelling", "traveling", "another city", "region", "abroad"],
    "SERVICE_OUTAGE": ["维护", "故障", "outage", "maintenance"],
    "REGULATORY_RESTRICTION": ["监管", "政策", "法规", "regulation", "regulatory", "policy"],
}

for _reason in REASONS:
    _reason.update(FOLLOW_UPS[_reason["code"]], keywords=KEYWORDS[_reason["code"]])
