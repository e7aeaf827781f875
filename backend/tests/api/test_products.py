"""The product catalog: where the bot and the pages get product names."""

API = "/api/v1"


def test_products_are_named_in_the_asked_language(client):
    assert client.get(f"{API}/products", params={"lang": "zh"}).json() == [
        {"code": "huabei", "name": "花呗"}, {"code": "jiebei", "name": "借呗"}]
    assert client.get(f"{API}/products", headers={"Accept-Language": "en"}).json() == [
        {"code": "huabei", "name": "Huabei"}, {"code": "jiebei", "name": "Jiebei"}]
