//! Products, orders and order items (an association object).

/// Where an order is in its life.
#[db_enum(name = "order_status")]
pub enum OrderStatus {
    Pending,
    Paid,
    Shipped,
    Cancelled,
}

/// Something for sale.
#[table(name = "products")]
#[check(name = "ck_products_price", sql = "price >= 0")]
pub struct Product {
    #[column(primary_key)]
    pub id: i32,
    #[column(max_length = 32, unique)]
    pub sku: String,
    #[column(max_length = 200)]
    pub name: String,
    #[column(precision = 10, scale = 2)]
    pub price: BigDecimal,
    pub weight_kg: Option<f64>,
    pub in_stock: bool,
    /// Free-form attributes (colour, size, ...), as JSON.
    pub attributes: Option<serde_json::Value>,
    #[relation(has_many, back_populates = product)]
    pub order_items: Vec<OrderItem>,
}

/// A customer's order.
#[table(name = "orders")]
#[index(name = "ix_orders_customer_placed", columns(customer_id, placed_at))]
pub struct Order {
    #[column(primary_key)]
    pub id: i32,
    #[column(references = users.id)]
    pub customer_id: i32,
    #[column(server_default = current_timestamp)]
    pub placed_at: NaiveDateTime,
    #[column(default = OrderStatus::Pending, server_default = "pending")]
    pub status: OrderStatus,
    pub note: Option<String>,
    #[relation(belongs_to, back_populates = orders)]
    pub customer: User,
    #[relation(has_many, back_populates = order, cascade = "all, delete-orphan")]
    pub items: Vec<OrderItem>,
}

/// One product on an order, with its own quantity and price.
#[table(name = "order_items")]
#[primary_key(order_id, product_id)]
#[check(name = "ck_order_items_quantity", sql = "quantity > 0")]
pub struct OrderItem {
    #[column(references = orders.id, on_delete = cascade)]
    pub order_id: i32,
    #[column(references = products.id, on_delete = restrict)]
    pub product_id: i32,
    #[column(default = 1)]
    pub quantity: i16,
    #[column(precision = 10, scale = 2)]
    pub unit_price: BigDecimal,
    #[relation(belongs_to, back_populates = items)]
    pub order: Order,
    #[relation(belongs_to, back_populates = order_items)]
    pub product: Product,
}
