#!/usr/bin/env python3
"""Regenerates fuzz/corpora/<target>/ from Tests/Fixtures/conformance/*.jsonl (plus hand-written
hostile inputs, kept in hostile/ by this script). Deterministic; files are named by content hash."""
import hashlib, json, os, re, shutil

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "..", "Tests", "Fixtures", "conformance")
OUT = os.path.join(HERE, "corpora")
LIMIT = 300

def rows(name):
    with open(os.path.join(FIX, name), encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]

def compact(v):
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"))

corpora = {t: [] for t in ["pattern", "match", "differential", "json", "schedule", "router", "transform", "policy"]}

pattern_rows = rows("aws-observed.jsonl") + rows("patterns.jsonl")
for r in pattern_rows:
    p = r.get("pattern")
    text = p if isinstance(p, str) else compact(p)
    corpora["pattern"].append(text)
    if "event" in r:
        corpora["match"].append(compact(r["event"]))
        corpora["json"].append(compact(r["event"]))
    corpora["json"].append(text)

for r in rows("aws-observed-schedules.jsonl") + rows("schedules.jsonl"):
    expr = r.get("expr")
    if isinstance(expr, str):
        tz = r.get("tz") or r.get("timezone")
        corpora["schedule"].append(expr + ("\n" + tz if isinstance(tz, str) else ""))
for zone in ["America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kathmandu"]:
    corpora["schedule"] += ["cron(30 2 * * ? *)\n" + zone, "rate(7 minutes)\n" + zone, "at(2025-03-09T02:30:00)\n" + zone]

NAMES = {"account-id": "123456789012", "secondary-account-id": "210987654321", "region": "us-east-1",
         "partition": "aws", "queue-arn": "arn:aws:sqs:us-east-1:123456789012:q1"}
def fill(text):
    return re.sub(r"<([^<>]*)>", lambda m: NAMES.get(m.group(1), re.sub(r"[^A-Za-z0-9-]", "-", m.group(1))), text)

for r in rows("aws-observed-api.jsonl"):
    ops = [s for key in ("setup", "steps") for s in (r.get(key) or []) if isinstance(s, dict) and "operation" in s]
    if r.get("operation") and "params" in r:
        ops.append({"operation": r["operation"], "params": r["params"]})
    lines = [fill(s["operation"] + " " + compact(s.get("params", {}))) for s in ops][:16]
    if lines:
        corpora["router"].append("\n".join(lines))

for r in rows("aws-observed-transformers.jsonl"):
    config = r.get("target_config")
    if isinstance(config, dict):
        event = r.get("event")
        corpora["transform"].append(compact(config) + ("\n" + compact(event) if isinstance(event, dict) else ""))

def statement(sid, principal, action="events:PutEvents", condition=None, effect="Allow"):
    st = {"Sid": sid, "Effect": effect, "Principal": principal, "Action": action,
          "Resource": "arn:aws:events:us-east-1:111111111111:event-bus/shared"}
    if condition:
        st["Condition"] = condition
    return st
for doc in [
    {"Version": "2012-10-17", "Statement": [statement("a", {"AWS": "arn:aws:iam::222222222222:root"})]},
    {"Version": "2012-10-17", "Statement": [statement("b", {"AWS": "222222222222"})]},
    {"Version": "2012-10-17", "Statement": [statement("c", "*")]},
    {"Version": "2012-10-17", "Statement": [statement("d", "*", condition={"StringEquals": {"aws:PrincipalOrgID": "o-1234567890"}})]},
    {"Version": "2012-10-17", "Statement": [statement("e", {"AWS": ["333333333333", "222222222222"]}, action=["events:PutEvents", "events:PutRule"])]},
    {"Version": "2012-10-17", "Statement": statement("f", {"AWS": "222222222222"})},
    {"Version": "2012-10-17", "Statement": [statement("g", {"AWS": "222222222222"}, effect="Deny"), statement("h", "*")]},
    {"Version": "2012-10-17", "Statement": [statement("i", {"Service": "events.amazonaws.com"})]},
    {"Version": "2012-10-17", "Statement": []},
]:
    corpora["policy"].append(compact(doc))

# Differential inputs only seed the generator; any bytes do.
corpora["differential"] = ["seed %d" % i for i in range(32)]

hostile = {
    "pattern": ['{"a":' * 200 + "[1]" + "}" * 200, '{"a":[{"numeric":[">",1e309]}]}', '{"a":[{"wildcard":"' + "*a" * 300 + '"}]}',
                '{"a":[{"cidr":"::ffff:10.0.0.0/200"}]}', '{"$or":[{"$or":[{"a":[1]}]}]}', '{"a":["\\ud800"]}',
                '{"a":[{"anything-but":{"prefix":""}}]}', '{"a":[{"equals-ignore-case":"\u0130\u03a3\u00df"}]}', '{"a":[]}', "{}"],
    "match": ["[" * 300, '{"a":"\\ud83d\\ude00","a":1}', '{"detail":{"count":5.0e0,"state":"RUNNİNG"}}', '{"detail":' + "[" * 100 + "]" * 100 + "}",
              '{"source":"aws.ec2","detail":{"ip":"10.0.0.07","ip6":"2001:DB8::1"}}', "\xff\xfe"],
    "json": ["[" * 1000, "-0", "1e-400", "\"\\u0000\"", "\"\\udc00\"", "{\"a\":1,}", "[1 2]", "0x10", "01", "\ufeff{}", "nul", "\"\x01\""],
    "schedule": ["cron(0 0 29 2 ? 2100)", "cron(0 0 L * ? *)", "cron(0 0 ? * 6#5 *)", "cron(* * * * ? 1970-2199)", "rate(2147483648 minutes)",
                 "at(2199-12-31T23:59:59)", "cron(0 0 31W * ? *)", "cron(0/1 0/1 1W-LW * ? *)", "cron(0 2 ? * SUN#2 *)\nAmerica/New_York"],
    "transform": ['{"InputTransformer":{"InputPathsMap":{"a":"$.detail"},"InputTemplate":"{\\"x\\": <a>, \\"y\\": \\"<a>\\"}"}}',
                  '{"InputTransformer":{"InputPathsMap":{},"InputTemplate":"<aws.events.event.json> <aws.events.rule-arn>"}}',
                  '{"InputPath":"$.detail.tags[0]"}', '{"Input":"{\\"a\\": [1, {}]}"}', '{"InputPath":"$..a"}',
                  '{"InputTransformer":{"InputPathsMap":{"k":"$.detail.nested.a.b"},"InputTemplate":"[' + "<k>," * 200 + '1]"}}',
                  '{"InputTransformer":{"InputTemplate":"\\"<aws.events.event.ingestion-time>\\""}}\n{"detail":{"x":"\\ud83d"}}'],
    "policy": ['{"Statement":' + '[' * 50 + ']' * 50 + '}', '{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"events:*","Resource":"*"}]}',
               '{"Statement":[{"Sid":"","Effect":"Maybe","Principal":7,"Action":[],"Resource":null}]}', '{"Statement":"x"}', 'null', '{"Version":"1"}',
               '{"Statement":[{"Sid":"' + "s" * 9000 + '","Effect":"Allow","Principal":"*","Action":"events:PutEvents"}]}'],
    "router": ["PutRule {\"Name\":\"r\",\"ScheduleExpression\":\"rate(1 minute)\"}\nCreateQueue {\"QueueName\":\"q\"}\n"
               "PutTargets {\"Rule\":\"r\",\"Targets\":[{\"Id\":\"t\",\"Arn\":\"arn:aws:sqs:us-east-1:123456789012:q\"}]}\nAdvance 3600\nReceiveMessage {\"QueueUrl\":\"q\"}",
               "CreateEventBus {\"Name\":\"b\"}\nPutRule {\"Name\":\"r\",\"EventBusName\":\"b\",\"EventPattern\":\"{\\\"source\\\":[\\\"s\\\"]}\"}\n"
               "PutEvents {\"Entries\":[{\"Source\":\"s\",\"DetailType\":\"d\",\"Detail\":\"{}\",\"EventBusName\":\"b\"}]}\nDeleteEventBus {\"Name\":\"b\"}",
               "CreateSchedule {\"Name\":\"s\",\"ScheduleExpression\":\"cron(0 * * * ? *)\",\"FlexibleTimeWindow\":{\"Mode\":\"OFF\"},\"Target\":{\"Arn\":\"arn:aws:sqs:us-east-1:123456789012:q\",\"RoleArn\":\"arn:aws:iam::123456789012:role/r\"}}\nAdvance 21600",
               "CreateArchive {\"ArchiveName\":\"a\",\"EventSourceArn\":\"arn:aws:events:us-east-1:123456789012:event-bus/default\"}\nPutEvents {\"Entries\":[{\"Source\":\"s\",\"DetailType\":\"d\",\"Detail\":\"{}\"}]}\nAdvance 60\n"
               "StartReplay {\"ReplayName\":\"p\",\"EventSourceArn\":\"arn:aws:events:us-east-1:123456789012:archive/a\",\"EventStartTime\":0,\"EventEndTime\":4102444800,\"Destination\":{\"Arn\":\"arn:aws:events:us-east-1:123456789012:event-bus/default\"}}\nAdvance 600",
               "ListRules {\"Limit\":0,\"NextToken\":\"\\u0000\"}\nListEventBuses {\"Limit\":-1}\nPutEvents {\"Entries\":[]}\nTestEventPattern {\"EventPattern\":\"{}\",\"Event\":\"[\"}"],
}

for target, items in corpora.items():
    items = list(dict.fromkeys(items))
    step = max(1, len(items) // LIMIT)
    items = items[::step][:LIMIT] + hostile.get(target, [])
    path = os.path.join(OUT, target)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    for item in items:
        data = item.encode("utf-8", "surrogatepass") if isinstance(item, str) else item
        if target in ("match",) and item == "\xff\xfe":
            data = b"\xff\xfe"
        with open(os.path.join(path, hashlib.sha1(data).hexdigest()), "wb") as f:
            f.write(data)
    print(target, len(items))
