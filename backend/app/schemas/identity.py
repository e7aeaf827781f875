from datetime import datetime

from pydantic import BaseModel, Field

PHONE = Field(pattern=r"^1\d{10}$", examples=["13800000001"])
# Rasa sender ids as the channels make them (uuid hex, socket.io session ids, test names).
CONVERSATION_ID = Field(pattern=r"^[A-Za-z0-9._:@-]{1,128}$", examples=["3f2b9c0d5e8a4f7b"])


class CustomerOut(BaseModel):
    id: int
    name: str
    name_en: str
    masked_phone: str
    preferred_language: str


class SessionOut(BaseModel):
    token: str
    expires_at: datetime
    customer: CustomerOut


class PhoneIn(BaseModel):
    phone: str = PHONE


class OtpSendIn(BaseModel):
    phone: str = PHONE
    conversation_id: str = CONVERSATION_ID


class OtpVerifyIn(BaseModel):
    phone: str = PHONE
    code: str = Field(min_length=1, max_length=10)
    conversation_id: str = CONVERSATION_ID


class OtpSentOut(BaseModel):
    sent: bool
    expires_in: int
    masked_phone: str


class DemoCustomerOut(BaseModel):
    name: str
    name_en: str
    phone: str
    situation: str


class DemoOtpOut(BaseModel):
    phone: str
    conversation_id: str
    code: str
    created_at: datetime
    expires_at: datetime
    used: bool
