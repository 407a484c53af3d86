

def test_openapi_document_has_unique_operation_ids_and_documents_head():
    import warnings

    from api.app import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # FastAPI warns of duplicate operation ids
        spec = create_app().openapi()
    ids = [op["operationId"] for path in spec["paths"].values() for op in path.values()]
    assert len(ids) == len(set(ids))
    record = spec["paths"]["/handle/{prefix}/{suffix}"]
    assert {"get", "head"} <= set(record)
    assert [p["name"] for p in record["get"]["parameters"]] == ["prefix", "suffix", "format", "lang"]
