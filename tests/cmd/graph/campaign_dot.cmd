# wfl graph examples/certification_campaign.wfl --machine campaign --format dot
