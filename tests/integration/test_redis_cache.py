"""lms.cache.RedisCache keeps one redis-py client per pool and still behaves as Django's."""

import threading

from django.conf import settings

from lms.cache import RedisCache


def _cache():
    return RedisCache(settings.REDIS_URL, {"KEY_PREFIX": "test-lms-cache"})


def test_one_client_per_pool_and_the_cache_works():
    cache = _cache()
    first = cache._cache.get_client("a")
    assert cache._cache.get_client("b") is first
    assert cache._cache.get_client("c", write=True) is first  # one server: one pool
    cache.set("key", {"value": "Ђорђе"}, 30)
    assert cache.get("key") == {"value": "Ђорђе"}
    assert cache.get_many(["key", "missing"]) == {"key": {"value": "Ђорђе"}}
    cache.delete("key")
    assert cache.get("key") is None


def test_shared_client_across_threads():
    cache = _cache()
    errors = []

    def work(n):
        try:
            for i in range(50):
                cache.set(f"t{n}-{i}", i, 30)
                assert cache.get(f"t{n}-{i}") == i
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    cache.delete_many([f"t{n}-{i}" for n in range(4) for i in range(50)])
