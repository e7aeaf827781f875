"""The ten fictional demo customers of DESIGN.md. Times are relative to the moment of seeding
("days_ago"/"hours_ago"), so a fresh seed always tells the same story."""

# Demo staff, one per role; each password comes from the named setting (var/secrets.env).
STAFF = [
    {"username": "xiaowang", "display_name": "小王", "role": "agent", "password_setting": "demo_agent_password"},
    {"username": "xiaochen", "display_name": "小陈", "role": "reviewer", "password_setting": "demo_reviewer_password"},
    {"username": "xiaozhou", "display_name": "小周", "role": "operations",
     "password_setting": "demo_operations_password"},
]

INCIDENTS = [
    {
        "ref": "INC-JIEBEI-RC-001",
        "service": "jiebei-risk-control",
        "product": "jiebei",
        "reason": "SERVICE_OUTAGE",
        "title_zh": "借呗风控系统升级维护，借款申请和提现暂时无法处理",
        "title_en": "Jiebei risk-control upgrade: loan requests and withdrawals are paused",
        "status": "open",
        "hours_ago": 2,
        "expected_end_in_hours": 4,
    },
]

IPHONE_15 = {"device": "iPhone 15", "app_version": "10.6.2"}

CUSTOMERS = [
    {
        "name": "张三", "name_en": "Zhang San", "phone": "13800000001",
        "id_number_masked": "330106********1234", "region_zh": "浙江杭州", "region_en": "Hangzhou, Zhejiang",
        "preferred_language": "zh",
        "situation_zh": "花呗开通被拒：征信逾期记录", "situation_en": "Huabei refused: overdue records in credit report",
        "accounts": {
            "huabei": {"status": "refused", "decisions": [{
                "outcome": "refused", "days_ago": 3, "reasons": ["CREDIT_OVERDUE_HISTORY"],
                "detail_zh": "近两年内有两次信用卡逾期记录，最长一次逾期 45 天",
                "detail_en": "two credit-card overdue records in the last two years, the longest 45 days",
            }]},
            "jiebei": {"status": "not_opened"},
        },
        "attempts": [
            {"kind": "login", "days_ago": 3, "success": True, **IPHONE_15,
             "location_zh": "杭州", "location_en": "Hangzhou"},
            {"kind": "application", "product": "huabei", "days_ago": 3, "success": False,
             "reason": "CREDIT_OVERDUE_HISTORY", **IPHONE_15, "location_zh": "杭州", "location_en": "Hangzhou"},
        ],
    },
    {
        "name": "李四", "name_en": "Li Si", "phone": "13800000002",
        "id_number_masked": "510104********2345", "region_zh": "四川成都", "region_en": "Chengdu, Sichuan",
        "preferred_language": "zh",
        "situation_zh": "借呗被拒：工作不稳定，可申诉", "situation_en": "Jiebei refused: unstable employment, appealable",
        "accounts": {
            "huabei": {"status": "active", "decisions": [{"outcome": "approved", "days_ago": 420}]},
            "jiebei": {"status": "refused", "decisions": [{
                "outcome": "refused", "days_ago": 5, "reasons": ["UNSTABLE_EMPLOYMENT"],
                "detail_zh": "近 12 个月社保缴纳单位变更 3 次，期间中断 2 个月",
                "detail_en": "social insurance paid by 3 different employers in the last 12 months, with a 2-month gap",
            }]},
        },
        "attempts": [
            {"kind": "login", "days_ago": 1, "success": True, "device": "Huawei P60", "app_version": "10.6.2",
             "location_zh": "成都", "location_en": "Chengdu"},
        ],
    },
    {
        "name": "王五", "name_en": "Wang Wu", "phone": "13800000003",
        "id_number_masked": "320102********3456", "region_zh": "江苏南京", "region_en": "Nanjing, Jiangsu",
        "preferred_language": "zh",
        "situation_zh": "身份验证失败：身份证信息不一致", "situation_en": "Identity verification failed: ID details mismatch",
        "accounts": {"huabei": {"status": "not_opened"}, "jiebei": {"status": "not_opened"}},
        "attempts": [
            {"kind": "verification", "days_ago": 1, "success": False, "reason": "ID_INFO_MISMATCH",
             "device": "Huawei Mate 40", "app_version": "10.6.1", "location_zh": "南京", "location_en": "Nanjing"},
            {"kind": "verification", "hours_ago": 2, "success": False, "reason": "ID_INFO_MISMATCH",
             "device": "Huawei Mate 40", "app_version": "10.6.1", "location_zh": "南京", "location_en": "Nanjing"},
        ],
    },
    {
        "name": "赵六", "name_en": "Zhao Liu", "phone": "13800000004",
        "id_number_masked": "230103********4567", "region_zh": "黑龙江哈尔滨", "region_en": "Harbin, Heilongjiang",
        "preferred_language": "zh",
        "situation_zh": "无法登录：异地登录被拦截，之前还因 App 版本过旧失败",
        "situation_en": "Cannot log in: blocked login far from home; earlier an outdated app",
        "accounts": {
            "huabei": {"status": "active", "decisions": [{"outcome": "approved", "days_ago": 700}]},
            "jiebei": {"status": "not_opened"},
        },
        "attempts": [
            {"kind": "login", "days_ago": 10, "success": True, "device": "iPhone 12", "app_version": "10.6.2",
             "location_zh": "哈尔滨", "location_en": "Harbin"},
            {"kind": "login", "days_ago": 2, "success": False, "reason": "DEVICE_UNSUPPORTED",
             "device": "Redmi Note 4", "app_version": "9.2.0", "location_zh": "哈尔滨", "location_en": "Harbin"},
            {"kind": "login", "hours_ago": 1, "success": False, "reason": "LOCATION_MISMATCH", **IPHONE_15,
             "location_zh": "云南昆明", "location_en": "Kunming, Yunnan"},
        ],
    },
    {
        "name": "钱七", "name_en": "Qian Qi", "phone": "13800000005",
        "id_number_masked": "440106********5678", "region_zh": "广东广州", "region_en": "Guangzhou, Guangdong",
        "preferred_language": "zh",
        "situation_zh": "“暂时无法使用本服务”：借呗风控系统维护中",
        "situation_en": "\"Service temporarily unavailable\": Jiebei risk-control outage",
        "accounts": {
            "huabei": {"status": "active", "decisions": [{"outcome": "approved", "days_ago": 300}]},
            "jiebei": {"status": "active", "decisions": [{"outcome": "approved", "days_ago": 200}]},
        },
        "attempts": [
            {"kind": "login", "hours_ago": 1, "success": True, "device": "OPPO Find X6", "app_version": "10.6.2",
             "location_zh": "广州", "location_en": "Guangzhou"},
            {"kind": "service", "product": "jiebei", "hours_ago": 0.7, "success": False, "reason": "SERVICE_OUTAGE",
             "device": "OPPO Find X6", "app_version": "10.6.2", "location_zh": "广州", "location_en": "Guangzhou"},
        ],
    },
    {
        "name": "孙八", "name_en": "Sun Ba", "phone": "13800000006",
        "id_number_masked": "410105********6789", "region_zh": "河南郑州", "region_en": "Zhengzhou, Henan",
        "preferred_language": "zh",
        "situation_zh": "借呗被拒：多头借贷，不可申诉，180 天后可再申请",
        "situation_en": "Jiebei refused: borrowing from many lenders; no appeal, retry after 180 days",
        "accounts": {
            "huabei": {"status": "active", "decisions": [{"outcome": "approved", "days_ago": 500}]},
            "jiebei": {"status": "refused", "decisions": [{
                "outcome": "refused", "days_ago": 20, "reasons": ["MULTIPLE_LENDING"],
                "detail_zh": "征信显示在 7 家机构有未结清借款，近 3 个月有 12 次贷款审批查询",
                "detail_en": "open loans at 7 lenders and 12 loan-application enquiries in the last 3 months",
            }]},
        },
        "attempts": [
            {"kind": "login", "days_ago": 1, "success": True, "device": "vivo X90", "app_version": "10.6.0",
             "location_zh": "郑州", "location_en": "Zhengzhou"},
        ],
    },
    {
        "name": "周九", "name_en": "Zhou Jiu", "phone": "13800000007",
        "id_number_masked": "420106********7890", "region_zh": "湖北武汉", "region_en": "Wuhan, Hubei",
        "preferred_language": "zh",
        "situation_zh": "花呗被拒：银行卡不是本人名下", "situation_en": "Huabei refused: bank card not in own name",
        "accounts": {
            "huabei": {"status": "refused", "decisions": [{
                "outcome": "refused", "days_ago": 2, "reasons": ["BANK_CARD_MISMATCH"],
                "detail_zh": "绑定的尾号 6621 的银行卡，持卡人姓名与您的实名信息不一致",
                "detail_en": "the cardholder of the linked card ending 6621 is not the account's real-name holder",
            }]},
            "jiebei": {"status": "not_opened"},
        },
        "attempts": [
            {"kind": "login", "days_ago": 2, "success": True, "device": "Honor 90", "app_version": "10.6.2",
             "location_zh": "武汉", "location_en": "Wuhan"},
        ],
    },
    {
        "name": "吴十", "name_en": "Wu Shi", "phone": "13800000008",
        "id_number_masked": "440305********8901", "region_zh": "广东深圳", "region_en": "Shenzhen, Guangdong",
        "preferred_language": "zh",
        "situation_zh": "花呗被拒：监管审慎审核", "situation_en": "Huabei refused: regulatory review",
        "accounts": {
            "huabei": {"status": "refused", "decisions": [{
                "outcome": "refused", "days_ago": 10, "reasons": ["REGULATORY_RESTRICTION"],
                "detail_zh": "属于过度借贷防控的重点审核人群，审核期 90 天",
                "detail_en": "in a group under the over-lending review, for a 90-day review period",
            }]},
            "jiebei": {"status": "not_opened"},
        },
        "attempts": [
            {"kind": "login", "days_ago": 1, "success": True, **IPHONE_15,
             "location_zh": "深圳", "location_en": "Shenzhen"},
        ],
    },
    {
        "name": "郑一", "name_en": "Zheng Yi", "phone": "13800000009",
        "id_number_masked": "610103********9012", "region_zh": "陕西西安", "region_en": "Xi'an, Shaanxi",
        "preferred_language": "zh",
        "situation_zh": "花呗正常；借呗审核中，申诉处理中",
        "situation_en": "Huabei active; Jiebei under review with an appeal in progress",
        "accounts": {
            "huabei": {"status": "active", "decisions": [{"outcome": "approved", "days_ago": 365}]},
            "jiebei": {"status": "under_review", "decisions": [{
                "outcome": "refused", "days_ago": 8, "reasons": ["HIGH_RISK_BEHAVIOR"],
                "detail_zh": "3 天内在 4 台新设备登录，并两次修改收款银行卡",
                "detail_en": "logins from 4 new devices within 3 days and two changes of the payout card",
            }]},
        },
        "attempts": [
            {"kind": "login", "days_ago": 1, "success": True, "device": "Xiaomi 14", "app_version": "10.6.2",
             "location_zh": "西安", "location_en": "Xi'an"},
        ],
        "appeals": [
            {
                "product": "jiebei", "days_ago": 6, "idempotency_key": "seed-zheng-yi-jiebei",
                "statement": "那几天我换了新手机，也帮父母设置了他们的手机，所以登录设备多；"
                             "收款卡是因为公司换了工资卡。都是我本人操作。",
                # Uploading the last required material moves the appeal to in_review.
                "materials": [
                    {"kind": "face_verification", "file_name": "刷脸验证.png", "days_ago": 5},
                    {"kind": "income_proof", "file_name": "工资流水-近6个月.pdf", "days_ago": 5},
                ],
            },
        ],
    },
    {
        "name": "Emily Chen", "name_en": "Emily Chen", "phone": "13800000010",
        "id_number_masked": "310104********0123", "region_zh": "上海", "region_en": "Shanghai",
        "preferred_language": "en",
        "situation_zh": "花呗和借呗都正常（说英文）", "situation_en": "Both products active, nothing wrong (English)",
        "accounts": {
            "huabei": {"status": "active", "decisions": [{"outcome": "approved", "days_ago": 250}]},
            "jiebei": {"status": "active", "decisions": [{"outcome": "approved", "days_ago": 180}]},
        },
        "attempts": [
            {"kind": "login", "hours_ago": 3, "success": True, **IPHONE_15,
             "location_zh": "上海", "location_en": "Shanghai"},
        ],
    },
]
