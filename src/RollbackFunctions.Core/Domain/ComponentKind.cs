namespace RollbackFunctions.Domain;

/// <summary>What section 4 of the strategy lets a rollback apply to; anything else is out of scope.</summary>
public enum ComponentKind
{
    Storefront,
    BackendService,
    ShopAgent,
    ControlPlane,
}
