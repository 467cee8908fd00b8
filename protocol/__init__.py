"""What every part needs to speak OCPP: versions, schema checks, CALLERROR spelling, OCPP-J frames, and the
translations between versions. Pure: imports nothing of ours besides itself."""
