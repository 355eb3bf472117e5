//! Keys, uniques, indexes, checks and foreign keys of every kind.

#[table(name = "warehouses")]
pub struct Warehouse {
    #[column(primary_key)]
    pub id: i32,
    #[column(max_length = 8, unique)]
    pub code: String,
    #[column(max_length = 100, index)]
    pub city: String,
    #[relation(has_many, back_populates = warehouse, cascade = "all")]
    pub bins: Vec<Bin>,
}

/// A composite primary key, composite unique constraints and indexes.
#[table(name = "bins")]
#[primary_key(warehouse_id, aisle, shelf)]
#[unique(warehouse_id, label)]
#[unique(name = "uq_bins_barcode", columns(barcode))]
#[index(aisle, shelf)]
#[index(name = "ix_bins_label_unique", columns(label, aisle), unique)]
#[check(sql = "shelf >= 0")]
#[check(name = "ck_bins_aisle", sql = "aisle > 0 AND aisle < 100")]
pub struct Bin {
    #[column(references = warehouses.id, on_delete = cascade, on_update = cascade)]
    pub warehouse_id: i32,
    pub aisle: i16,
    pub shelf: i16,
    #[column(max_length = 30)]
    pub label: String,
    #[column(max_length = 30)]
    pub barcode: Option<String>,
    #[relation(belongs_to, back_populates = bins)]
    pub warehouse: Warehouse,
    #[relation(many_to_many, through = bin_labels, back_populates = bins, order_by = name)]
    pub labels: Vec<Label>,
    #[relation(has_many, foreign_key = fk_stock_bin, back_populates = bin, order_by = id)]
    pub stock: Vec<Stock>,
    #[relation(has_many, foreign_key = fk_counts_bin, back_populates = bin)]
    pub counts: Vec<Count>,
}

/// A composite foreign key and every referential action.
#[table(name = "stock")]
#[foreign_key(columns(warehouse_id, aisle, shelf), references = bins(warehouse_id, aisle, shelf),
              on_delete = restrict, on_update = no_action, name = "fk_stock_bin")]
pub struct Stock {
    #[column(primary_key)]
    pub id: i64,
    #[column(references = warehouses.id, on_delete = no_action)]
    pub warehouse_id: i32,
    pub aisle: i16,
    pub shelf: i16,
    #[column(references = warehouses.id, on_delete = set_null)]
    pub origin_id: Option<i32>,
    #[column(server_default = 1, references = warehouses.id, on_delete = set_default)]
    pub home_id: i32,
    #[relation(belongs_to, foreign_key = fk_stock_bin, back_populates = stock)]
    pub bin: Bin,
}

/// A composite foreign key with nullable columns: a count of one bin, or
/// (any column NULL) of no bin in particular.
#[table(name = "counts")]
#[foreign_key(columns(warehouse_id, aisle, shelf), references = bins(warehouse_id, aisle, shelf),
              on_delete = cascade, name = "fk_counts_bin")]
pub struct Count {
    #[column(primary_key)]
    pub id: i32,
    #[column(references = warehouses.id)]
    pub warehouse_id: i32,
    pub aisle: Option<i16>,
    pub shelf: Option<i16>,
    pub counted: i32,
    #[relation(belongs_to, foreign_key = fk_counts_bin, back_populates = counts)]
    pub bin: Option<Bin>,
}

/// A tag for bins.
#[table(name = "labels")]
pub struct Label {
    #[column(primary_key)]
    pub id: i32,
    #[column(max_length = 30)]
    pub name: String,
    #[relation(many_to_many, through = bin_labels, back_populates = labels)]
    pub bins: Vec<Bin>,
}

/// Links bins (a composite key) and labels: a many-to-many relation over a
/// composite key on one side.
#[table(name = "bin_labels")]
#[primary_key(label_id, warehouse_id, aisle, shelf)]
#[foreign_key(columns(warehouse_id, aisle, shelf), references = bins(warehouse_id, aisle, shelf),
              on_delete = cascade, name = "fk_bin_labels_bin")]
pub struct BinLabel {
    pub warehouse_id: i32,
    pub aisle: i16,
    pub shelf: i16,
    #[column(references = labels.id, on_delete = cascade)]
    pub label_id: i32,
}
