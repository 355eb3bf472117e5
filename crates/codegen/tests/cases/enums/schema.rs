//! Enums: default and explicit SQL names and values.

/// A traffic light.
#[db_enum]
pub enum Light {
    Red,
    Amber,
    Green,
}

#[db_enum(name = "payment_state")]
pub enum PaymentState {
    #[value = "not-paid"]
    Unpaid,
    PaidInFull,
}

#[table(name = "crossings")]
pub struct Crossing {
    #[column(primary_key)]
    pub id: i32,
    #[column(default = Light::Red, server_default = "red")]
    pub light: Light,
    pub fallback: Option<Light>,
    pub payment: PaymentState,
}
