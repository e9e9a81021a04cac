export { Button, type ButtonVariant, LinkButton } from "./button";
export { type Column, DataTable, FilterBar, Pagination } from "./data-table";
export { EstimateTable } from "./estimate-table";
export { Checkboxes, Field, FormRow, Hidden, SelectField } from "./fields";
export { ActionForm, type FormAction } from "./form";
export { useFormField } from "./form-state";
export { Picker, type PickerSource } from "./picker";
export { Badge, EmptyState, ErrorState, PageHeader, Section, Skeleton, Stat } from "./states";
export { type SearchParams, type TableParams, tableParams, withParams } from "./table-params";
