from app.core.security import hash_password, hash_token, mask_phone, verify_password


def test_password_hash_roundtrip_and_salting():
    stored = hash_password("秘密 password")
    assert stored.startswith("scrypt$") and "秘密" not in stored
    assert verify_password("秘密 password", stored)
    assert not verify_password("秘密 passwore", stored)
    assert hash_password("秘密 password") != stored
    assert not verify_password("x", "not-a-hash")


def test_token_hash_and_phone_mask():
    assert hash_token("abc") == hash_token("abc") != hash_token("abd")
    assert mask_phone("13800000004") == "138****0004"
