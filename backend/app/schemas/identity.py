from datetime import datetime

from pydantic import BaseModel, Field

PHONE = Field(pattern=r"^1\d{10}$", examples=["13800000001"])


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


class OtpVerifyIn(BaseModel):
    phone: str = PHONE
    code: str = Field(min_length=1, max_length=10)


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
    code: str
    created_at: datetime
    expires_at: datetime
    used: bool
