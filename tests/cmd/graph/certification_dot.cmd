# wfl graph examples/certification_campaign.wfl --machine certification --format dot
