"""The version of the worker protocol, shared by both adapters."""

# Bump when a message or a reply changes shape. 2: functions renamed (questionnaire_response,
# calculator_response), schema_version in every reply, similar cases without href. 3: model v2 (the
# questionnaire reply gains to_ask, status, headline, summary, becomes, notes, cases with differences).
PROTOCOL_VERSION = 3
