#!/usr/bin/python3
"""A council IT tool in Python: calls the suite through the gateway with the
stubs generated at build time (build/python) and Debian's python3-grpcio.

    PYTHONPATH=build/python /usr/bin/python3 examples/python/council_example.py \
        --gateway 127.0.0.1:7443 --token "$COUNCIL_TOKEN" \
        --document documents/rec-000010

It prints the caller's directory entry, the first page of the directory, and
the decision (with its clauses) on a request to inspect the document.
"""
import argparse
import sys

import grpc

from council.access.v1 import access_service_pb2, access_service_pb2_grpc
from council.relations.v1 import relations_service_pb2, relations_service_pb2_grpc


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gateway", default="127.0.0.1:7443")
    parser.add_argument("--token", required=True, help="bearer token (JWT)")
    parser.add_argument("--person", required=True, help="the token's person, people/{id}")
    parser.add_argument("--document", required=True, help="documents/{id} to ask for")
    args = parser.parse_args()

    channel = grpc.insecure_channel(args.gateway)
    metadata = [("authorization", "Bearer " + args.token)]
    relations = relations_service_pb2_grpc.RelationsServiceStub(channel)
    access = access_service_pb2_grpc.AccessServiceStub(channel)
    try:
        me = relations.GetPerson(
            relations_service_pb2.GetPersonRequest(name=args.person),
            metadata=metadata, timeout=10)
        print(f"caller: {me.name} ({me.display_name})")
        page = relations.ListPeople(
            relations_service_pb2.ListPeopleRequest(page_size=5),
            metadata=metadata, timeout=10)
        print(f"directory: first {len(page.people)} people, more: {bool(page.next_page_token)}")
        request = access_service_pb2.CreateAccessRequestRequest(
            access_request=access_service_pb2.AccessRequest(
                document=args.document, capacity=access_service_pb2.CAPACITY_BODY_MEMBER))
        decided = access.CreateAccessRequest(request, metadata=metadata, timeout=10)
        outcome = access_service_pb2.Outcome.Name(decided.decision.outcome)
        print(f"decision: {outcome}")
        for reason in decided.decision.reasons:
            print(f"  {reason.citation.clause}: {reason.finding}")
    except grpc.RpcError as error:
        print(f"error: {error.code().name}: {error.details()}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
