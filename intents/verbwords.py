"""Verb words: access levels, verb synonyms, phrasal verbs, and the nouns action names use for objects."""

from __future__ import annotations

from bot.domain.models import AccessLevel

#: access-level words -> levels.
LEVEL_WORDS: dict[str, tuple[AccessLevel, ...]] = {
    "read only": (AccessLevel.READ,),
    "read-only": (AccessLevel.READ,),
    "readonly": (AccessLevel.READ,),
    "read": (AccessLevel.READ,),
    "view": (AccessLevel.READ,),
    "see": (AccessLevel.READ,),
    "look at": (AccessLevel.READ,),
    "look into": (AccessLevel.READ,),
    "inspect": (AccessLevel.READ,),
    "download": (AccessLevel.READ,),
    "fetch": (AccessLevel.READ,),
    "retrieve": (AccessLevel.READ,),
    "tail": (AccessLevel.READ,),
    "monitor": (AccessLevel.READ,),
    "watch": (AccessLevel.READ,),
    "peek": (AccessLevel.READ,),
    "list": (AccessLevel.LIST,),
    "browse": (AccessLevel.LIST,),
    "enumerate": (AccessLevel.LIST,),
    "write": (AccessLevel.WRITE,),
    "upload": (AccessLevel.WRITE,),
    "modify": (AccessLevel.WRITE,),
    "edit": (AccessLevel.WRITE,),
    "change": (AccessLevel.WRITE,),
    "tagging": (AccessLevel.TAGGING,),
    "read/write": (AccessLevel.READ, AccessLevel.WRITE),
    "read write": (AccessLevel.READ, AccessLevel.WRITE),
    "read-write": (AccessLevel.READ, AccessLevel.WRITE),
    "rw": (AccessLevel.READ, AccessLevel.WRITE),
}


#: Words that are a level unless an action of the service is named by them with its object
#: ("get the secret value" is GetSecretValue; "get items" is Read).
LEVEL_OR_VERB: dict[str, tuple[AccessLevel, ...]] = {
    "get": (AccessLevel.READ,),
    "query": (AccessLevel.READ,),
    "describe": (AccessLevel.READ,),
    "put": (AccessLevel.WRITE,),
    "update": (AccessLevel.WRITE,),
}


#: Words for looking at a thing rather than taking what it holds ("inspect the secret": not its value).
LOOK_WORDS = frozenset({"view", "see", "look at", "look into", "inspect", "peek", "check", "show", "describe",
                        "examine", "review", "verify"})  # fmt: skip


#: English verbs -> the verbs AWS action names start with, best first (weight 1.0 = same meaning).
VERB_SYNONYMS: dict[str, tuple[tuple[str, float], ...]] = {
    "create": (("create", 1.0), ("put", 0.8)),  # AWS's create-or-update is Put (PutMetricAlarm, PutRule)
    "adjust": (("modify", 1.0), ("update", 1.0), ("put", 0.8), ("set", 0.8)),
    "tune": (("modify", 1.0), ("update", 1.0), ("put", 0.8)),
    "destroy": (("delete", 1.0), ("terminate", 1.0)),
    "decommission": (("delete", 0.9), ("terminate", 0.9), ("deregister", 0.8)),
    "redeploy": (("deploy", 1.0), ("start", 0.9), ("create", 0.8), ("update", 0.7)),
    "revert": (("rollback", 1.0), ("restore", 0.8)),
    "recover": (("recover", 1.0), ("restore", 1.0)),
    "boot": (("start", 1.0), ("reboot", 0.8)),
    "wake": (("start", 1.0),),
    "mute": (("disable", 1.0),),  # "mute the alarm": DisableAlarmActions
    "unmute": (("enable", 1.0),),
    "unregister": (("deregister", 1.0),),
    "dump": (("export", 1.0), ("get", 0.8)),
    "empty": (("purge", 1.0),),  # "empty the queue": PurgeQueue; S3's is a recipe
    "retag": (("put", 1.0),),
    "point": (("update", 1.0), ("put", 0.8)),  # "point the live alias at v7": UpdateAlias
    "nuke": (("delete", 1.0), ("terminate", 1.0)),
    "flush": (("purge", 1.0), ("flush", 1.0)),
    "upgrade": (("update", 1.0), ("upgrade", 1.0), ("modify", 1.0)),
    "raise": (("increase", 1.0), ("update", 0.9), ("modify", 0.9), ("put", 0.8)),
    "lower": (("decrease", 1.0), ("update", 0.9), ("modify", 0.9), ("put", 0.8)),
    "fix": (("update", 0.9), ("put", 0.8)),
    "repoint": (("update", 1.0), ("put", 0.8)),
    "launch": (("run", 1.0), ("create", 0.7), ("start", 0.6)),
    "spin": (("run", 1.0), ("create", 0.7)),
    "run": (("run", 1.0), ("start", 0.9), ("execute", 0.9), ("invoke", 0.8), ("send", 0.7)),  # SendCommand
    "execute": (("execute", 1.0), ("start", 0.9), ("invoke", 0.9), ("run", 0.8)),
    "trigger": (("start", 1.0), ("invoke", 1.0), ("run", 0.9), ("execute", 0.8)),
    "kick": (("start", 1.0),),
    "call": (("invoke", 1.0), ("execute", 0.8)),
    "invoke": (("invoke", 1.0),),
    "restart": (("reboot", 1.0), ("restart", 1.0), ("update", 0.5)),
    "bounce": (("reboot", 1.0), ("restart", 1.0)),
    "upload": (("put", 1.0), ("upload", 1.0)),
    "push": (("put", 1.0), ("push", 1.0), ("send", 0.8)),
    "write": (("put", 1.0), ("write", 1.0), ("send", 0.8)),
    "post": (("post", 1.0), ("put", 0.9), ("send", 0.9), ("publish", 0.9)),
    "send": (("send", 1.0), ("put", 0.9), ("publish", 0.9)),
    "emit": (("put", 1.0), ("send", 1.0), ("publish", 1.0)),
    "publish": (("publish", 1.0), ("put", 0.9), ("send", 0.8)),
    "produce": (("put", 1.0), ("send", 1.0)),
    "ingest": (("put", 1.0),),
    "remove": (("delete", 1.0), ("remove", 1.0)),
    "drop": (("delete", 1.0),),
    "purge": (("purge", 1.0), ("delete", 0.8)),
    "wipe": (("delete", 1.0),),
    "modify": (("modify", 1.0), ("update", 1.0), ("put", 0.6)),
    "change": (("update", 1.0), ("modify", 1.0), ("put", 0.6)),
    "edit": (("update", 1.0), ("modify", 1.0), ("put", 0.6)),
    "alter": (("update", 1.0), ("modify", 1.0)),
    "set": (("set", 1.0), ("put", 0.8), ("update", 0.8)),
    "overwrite": (("put", 1.0), ("update", 0.9), ("set", 0.8)),
    "replace": (("replace", 1.0), ("put", 0.9), ("update", 0.8)),
    "scale": (("update", 1.0), ("set", 1.0), ("modify", 0.8)),
    "resize": (("modify", 1.0), ("update", 1.0), ("resize", 1.0)),
    "deploy": (("deploy", 1.0), ("update", 0.8), ("create", 0.6)),
    "rollback": (("rollback", 1.0), ("stop", 0.5)),
    "roll": (("rollback", 1.0),),
    "fetch": (("get", 1.0),),
    "retrieve": (("get", 1.0),),
    "download": (("get", 1.0),),
    "grab": (("get", 1.0),),
    "pull": (("get", 1.0), ("pull", 1.0)),
    "read": (("get", 1.0), ("read", 1.0)),
    "view": (("get", 1.0), ("describe", 1.0), ("list", 0.8)),
    "show": (("describe", 1.0), ("get", 1.0), ("list", 0.9)),
    "see": (("describe", 1.0), ("get", 1.0), ("list", 0.9)),
    "check": (("describe", 1.0), ("get", 1.0)),
    "inspect": (("describe", 1.0), ("get", 1.0)),
    "look": (("describe", 1.0), ("get", 1.0)),
    "describe": (("describe", 1.0), ("get", 0.9)),
    "search": (("search", 1.0), ("query", 0.9), ("filter", 0.8)),
    "filter": (("filter", 1.0),),
    "tail": (("filter", 1.0), ("get", 1.0), ("start", 0.5)),
    "poll": (("receive", 1.0), ("get", 0.8)),
    "consume": (("receive", 1.0), ("get", 0.9)),
    "subscribe": (("subscribe", 1.0),),
    "unsubscribe": (("unsubscribe", 1.0),),
    "halt": (("stop", 1.0),),
    "pause": (("stop", 1.0), ("pause", 1.0), ("disable", 0.8)),
    "resume": (("start", 1.0), ("resume", 1.0), ("enable", 0.8)),
    "kill": (("stop", 1.0), ("terminate", 0.9)),
    "terminate": (("terminate", 1.0),),
    "cancel": (("cancel", 1.0), ("stop", 0.8)),
    "redrive": (("start", 1.0), ("redrive", 1.0)),
    "replay": (("start", 1.0),),
    "retry": (("retry", 1.0), ("start", 0.8)),
    "sign": (("sign", 1.0),),
    "verify": (("verify", 1.0),),
    "connect": (("connect", 1.0), ("start", 0.8)),
    "ssh": (("start", 1.0), ("send", 0.8)),
    "forward": (("start", 1.0),),  # "port forwarding to the bastion": an SSM session
    "exec": (("execute", 1.0), ("start", 0.8)),
    "authenticate": (("get", 1.0),),
    "assume": (("assume", 1.0),),
    "rotate": (("rotate", 1.0),),
    "lookup": (("lookup", 1.0), ("describe", 0.9), ("get", 0.9), ("search", 0.8)),
    "update": (("update", 1.0), ("modify", 0.9), ("put", 0.8), ("set", 0.8)),
    "make": (("create", 1.0),),
    "store": (("put", 1.0), ("create", 0.9), ("upload", 0.9)),
    "take": (("create", 1.0), ("get", 0.8)),
    "new": (("create", 1.0),),
    "tag": (("tag", 1.0), ("create", 0.9), ("add", 0.9), ("put", 0.8)),
    "untag": (("untag", 1.0), ("delete", 0.9), ("remove", 0.9)),
    "enable": (("enable", 1.0), ("put", 0.8), ("update", 0.8), ("start", 0.6), ("set", 0.7)),
    "disable": (("disable", 1.0), ("update", 0.8), ("put", 0.6), ("stop", 0.6)),
    "bump": (("put", 1.0), ("update", 1.0), ("set", 1.0), ("increase", 1.0), ("modify", 0.9)),
    "increase": (("increase", 1.0), ("update", 0.9), ("modify", 0.9), ("put", 0.8), ("request", 0.8)),
    "rerun": (("start", 1.0), ("retry", 1.0), ("run", 0.9)),
    "reencrypt": (("reencrypt", 1.0), ("re", 1.0)),
    "login": (("get", 1.0),),
    "add": (("add", 1.0), ("put", 0.8), ("create", 0.8), ("attach", 0.7), ("associate", 0.7)),
    "open": (("authorize", 1.0), ("create", 0.9), ("get", 0.8), ("describe", 0.7)),
    "clone": (("pull", 1.0), ("get", 0.8)),
    "mark": (("update", 1.0), ("batch", 0.9)),
    "archive": (("archive", 1.0), ("update", 0.6)),
    "attach": (("attach", 1.0), ("associate", 0.9)),
    "detach": (("detach", 1.0), ("disassociate", 0.9)),
    "invalidate": (("create", 1.0),),
    "snapshot": (("create", 1.0),),
    "backup": (("start", 1.0), ("create", 0.8)),
    "restore": (("restore", 1.0), ("start", 0.8)),
    "export": (("export", 1.0), ("start", 0.7), ("create", 0.7)),
    "import": (("import", 1.0), ("start", 0.7), ("create", 0.7)),
    "copy": (("copy", 1.0),),
    "replicate": (("replicate", 1.0),),
    "query": (("query", 1.0), ("start", 0.7), ("execute", 0.7)),
    "scan": (("scan", 1.0),),
}


#: Verbs whose action comes with an object noun ("invalidate the cache" is CreateInvalidation).
VERB_OBJECTS: dict[str, str] = {
    "invalidate": "invalidation", "snapshot": "snapshot", "backup": "backup", "tag": "tag", "untag": "tag",
    "export": "export", "import": "import", "redrive": "redrive", "replay": "replay", "ssh": "ssh",
    "redeploy": "deployment",
}  # fmt: skip


#: Write-sounding words, to spot "read-only but let me delete".
WRITE_VERBS = frozenset({"delete", "remove", "write", "upload", "put", "modify", "update", "change", "edit"})


#: Verbs that point at one service when nothing else does ("decrypt with alias/app-key").
VERB_PRIORS: dict[str, str] = {
    "decrypt": "kms", "encrypt": "kms", "sign": "kms", "verify": "kms", "consume": "sqs", "drain": "sqs",
    "redrive": "sqs", "poll": "sqs", "publish": "sns", "subscribe": "sns", "unsubscribe": "sns", "invoke": "lambda",
    "rotate": "secretsmanager", "assume": "sts", "tail": "logs", "reboot": "ec2", "terminate": "ec2", "launch": "ec2",
}  # fmt: skip


#: Two-word verbs, read as one ("turn on versioning" is enable/put).
PHRASAL_VERBS: dict[str, str] = {
    "turn on": "enable", "turn off": "disable", "switch on": "enable", "switch off": "disable",
    "look up": "lookup", "spin up": "launch", "set up": "create", "clean up": "delete", "kick off": "start",
    "fire off": "start", "shut down": "stop", "tear down": "delete", "roll back": "rollback",
    "scale up": "scale", "scale down": "scale", "scale out": "scale", "scale in": "scale", "log in": "login",
    "sign in": "login", "back up": "backup", "bring up": "start", "fire up": "start", "start up": "start",
    "wind down": "stop", "pause": "stop", "re run": "rerun", "re-run": "rerun", "re-encrypt": "reencrypt",
}  # fmt: skip


#: Short or other words for the objects AWS action names use ("msgs" are messages, "rows" items).
OBJECT_SYNONYMS: dict[str, str] = {
    "msg": "message", "row": "item", "record": "item", "entry": "item", "attr": "attribute", "config": "configuration",
    "setting": "configuration", "env": "environment", "var": "variable",
    "timeout": "configuration", "memory": "configuration", "subscribed": "subscription", "snapshot": "backup",
    "subscriber": "subscription", "pitr": "backup", "status": "state", "managed": "attached",
    "perm": "permission", "cert": "certificate",
    "cred": "credential", "creds": "credential", "repo": "repository", "img": "image", "pic": "image",
    "log": "log", "doc": "document", "def": "definition", "arn": "arn", "job": "job", "vm": "instance",
    "box": "instance", "server": "instance", "dag": "dag", "password": "password", "pw": "password",
    "ttl": "time", "history": "history", "stat": "statistic", "stats": "statistic", "trust": "assume",
    "gsi": "index", "lsi": "index", "sse": "encryption",
    "kms": "encryption", "invalidation": "invalidation", "dlq": "queue", "distro": "distribution", "ami": "image",
    "cmk": "key",
}  # fmt: skip


#: The nouns a resource holds (items of a table, objects of a bucket): "read items" is the resource's Read.
DATA_NOUNS = frozenset({"item", "object", "file", "message", "record", "event", "row", "data", "value", "content",
                        "entry", "log", "msg"})  # fmt: skip


#: Words after which a verb-looking word is a noun: "results of query", "the backup", "job runs".
NOT_VERB_BEFORE = frozenset({"of", "the", "a", "an", "this", "that", "my", "our", "their", "its", "who", "what",
                             "which", "when", "why", "how", "is", "are", "was", "were", "been", "be", "dont", "don't",
                             "not", "never", "no", "without", "t", "didn't", "didnt", "doesn't", "doesnt", "isn't",
                             "wasn't", "won't", "can't", "cannot", "shouldn't", "on", "upon", "after", "before",
                             "during"})  # fmt: skip

#: Objects a verb suggests without requiring them: "scale the asg" is about its capacity.
SOFT_OBJECTS: dict[str, str] = {"scale": "capacity", "drain": "state", "retag": "image"}
