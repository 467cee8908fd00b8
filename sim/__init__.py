"""The station simulator: `ocpp` ChargePoints that boot, charge and answer the CSMS; also our tests' stations."""
