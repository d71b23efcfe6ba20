-- Payments and billing extras (issue 18): payment intents (pi_), payment methods (pm_),
-- charges (ch_, the latest_charge of a payment intent), coupons, discounts (di_) and tax
-- rates (txr_) live in stripe_objects like every other object. These indexes serve the
-- filters their lists take: a customer's payment methods and payment intents.
create index stripe_objects_pm_customer on stripe_objects ((data->>'customer')) where kind in ('payment_method', 'payment_intent');
create index stripe_objects_kind_active on stripe_objects (kind, ((data->>'active'))) where kind = 'tax_rate';
