"""Where a request goes: regions and the words people use for them, and account words."""

from __future__ import annotations

#: Region names and the words people use for them (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html).
REGIONS: dict[str, tuple[str, ...]] = {
    "us-east-1": ("n virginia", "n. virginia", "northern virginia", "north virginia", "virginia", "us east", "iad"),
    "us-east-2": ("ohio",),
    "us-west-1": ("n california", "n. california", "northern california", "california"),
    "us-west-2": ("oregon", "us west"),
    "ca-central-1": ("canada", "montreal", "canada central"),
    "ca-west-1": ("calgary",),
    "mx-central-1": ("mexico",),
    "sa-east-1": ("sao paulo", "são paulo", "brazil"),
    "eu-west-1": ("ireland", "dublin"),
    "eu-west-2": ("london", "uk"),
    "eu-west-3": ("paris", "france"),
    "eu-central-1": ("frankfurt", "germany"),
    "eu-central-2": ("zurich", "switzerland"),
    "eu-north-1": ("stockholm", "sweden"),
    "eu-south-1": ("milan", "italy"),
    "eu-south-2": ("spain",),
    "il-central-1": ("tel aviv", "israel"),
    "me-south-1": ("bahrain",),
    "me-central-1": ("uae",),
    "af-south-1": ("cape town", "south africa"),
    "ap-east-1": ("hong kong",),
    "ap-northeast-1": ("tokyo", "japan"),
    "ap-northeast-2": ("seoul", "korea"),
    "ap-northeast-3": ("osaka",),
    "ap-southeast-1": ("singapore",),
    "ap-southeast-2": ("sydney", "australia"),
    "ap-southeast-3": ("jakarta", "indonesia"),
    "ap-southeast-4": ("melbourne",),
    "ap-southeast-5": ("malaysia", "kuala lumpur"),
    "ap-southeast-7": ("thailand", "bangkok"),
    "ap-south-1": ("mumbai", "india"),
    "ap-south-2": ("hyderabad",),
}


REGION_WORDS: dict[str, str] = {word: region for region, words in REGIONS.items() for word in words}


#: Account words besides the registry's aliases and ids.
ACCOUNT_SYNONYMS: dict[str, str] = {
    "production": "prod",
    "prd": "prod",
    "development": "dev",
    "develop": "dev",
    "sbx": "sandbox",
    "sand box": "sandbox",
    "testing": "test",
    "tst": "test",
}


#: Aliases that are everyday words: an account only with context ('in test', 'the test account').
COMMON_ALIASES = frozenset(
    {"test", "main", "data", "shared", "security", "audit", "logging", "network", "demo", "tools"}
)
