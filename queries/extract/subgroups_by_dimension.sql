-- The subgroups an extract can be narrowed to: every population subgroup of every dimension but the
-- national 'Total', in the dimension's order (subnational regions by name).
-- Grain: one row per dimension x subgroup. Params: none.
with

final as (
    select dimension, subgroup, min(subgroup_order) as subgroup_order
    from fct_indicator_value
    where dimension <> 'Total'
    group by dimension, subgroup
)

select * from final
order by dimension, subgroup_order nulls last, subgroup
